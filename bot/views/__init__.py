"""Pure rendering: Block Kit and text, in the project's language."""
