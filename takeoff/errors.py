"""The one exception type the package raises for bad input.

Every message is one line that says what was wrong and what to do instead; the CLI prints it
as ``error: <message>`` and exits non-zero, the dashboard shows it in the page.
"""


class TakeoffError(ValueError):
    """Bad input: the message names the offending value and how to fix it."""
