"""Pure domain rules under parsing, services and the scheduler: the working calendar and earned value."""
