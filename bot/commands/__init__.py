"""The router and its handlers: every Slack surface turns into a Request, a handler returns a Decision.

Listeners (bot/listeners) are only the Bolt adapter: they build a Request from the payload, call
`router.run` (slash commands), `forms` (modal submissions) or `messages` (channel statements), and carry
the Decision back to Slack. The rules every surface shares — who acts, claiming a delivery once, the
role retry for workspace admins, the reply language and the wording of refusals — live in `core`.
"""
