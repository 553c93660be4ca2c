"""Jinja's errors in a template of the house style, told in Swedish.

Staff write the templates in the browser; Jinja explains their mistakes in English. Each function
turns one kind of error into the words a secretary reads at the field (after "Mallen X, rad N: ").
A message no rule knows still gets a Swedish sentence, never Jinja's English.
"""

import re

import jinja2

# Jinja's names for its tokens, as the secretary types them.
TOKENS = {
    "end of print statement": "}}",
    "begin of print statement": "{{",
    "end of statement block": "%}",
    "begin of statement block": "{%",
    "end of template": "mallens slut",
    "name": "ett namn",
    "integer": "ett tal",
    "float": "ett tal",
    "string": "en text inom citattecken",
    "in": "in",
}


def _token(name: str) -> str:
    return TOKENS.get(name, name)


# (pattern of Jinja's message, Swedish as a str.format template whose fields are the pattern's groups)
SYNTAX_RULES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), swedish)
    for pattern, swedish in (
        (r"^unexpected end of template, expected '([^']+)'", "mallen tar slut innan »{0}« kommer"),
        (r"the innermost block that needs to be closed is '([a-z]+)'", "»{{% end{0} %}}« saknas"),
        (r"^unexpected end of template", "mallen tar slut för tidigt"),
        (r"^expected an expression, got '([^']+)'", "ett värde eller en platshållare väntades före »{0}«"),
        (r"^expected token '([^']+)', got '([^']+)'", "»{0}« väntades, men här står »{1}«"),
        (r"^encountered unknown tag '([^']+)'", "okänd tagg »{0}«"),
        (r"^no filter named '([^']+)'", "okänt filter »{0}«"),
        (r"^no test named '([^']+)'", "okänt test »{0}«"),
        (r"^missing end of comment tag", "kommentaren avslutas inte (#}} saknas)"),
        (r"^unexpected char ['\"](.)['\"] at \d+", "tecknet »{0}« hör inte hemma här"),
        (r"^unexpected '([^']+)'", "»{0}« hör inte hemma här"),
        (r"^expected name or number", "ett namn eller ett tal väntades efter punkten"),
        (r"^tag name expected", "ett taggnamn väntades efter {{%"),
    )
)


def syntax_error(error: jinja2.TemplateSyntaxError) -> str:
    message = error.message or ""
    for pattern, swedish in SYNTAX_RULES:
        match = pattern.search(message)
        if match:
            return "syntaxfel: " + swedish.format(*(_token(group) for group in match.groups()))
    return "syntaxfel: kontrollera att varje {{ slutar med }} och varje {% med %}"


def security_error(error: jinja2.sandbox.SecurityError) -> str:
    match = re.search(r"attribute '([^']+)'", str(error))
    if match:
        return f"otillåtet i en mall: {match.group(1)} får inte läsas"
    return "otillåtet i en mall: " + {
        "the power is too large": "för stor potens",
        "the repetition is too large": "för många upprepningar",
    }.get(str(error), "mallen försöker göra något som inte är tillåtet")


def undefined_error(error: jinja2.UndefinedError) -> str:
    match = re.search(r"'([^']+)' has no attribute '([^']+)'|has no attribute '([^']+)'", str(error))
    if match and (match.group(2) or match.group(3)):
        return f"okänd platshållare {match.group(2) or match.group(3)}"
    match = re.search(r"'([^']+)' is undefined", str(error))
    if match:
        return f"okänd platshållare {match.group(1)}"
    return "en platshållare saknar värde"


def render_error(error: Exception) -> str:
    """Any other failure when the template is printed with the sample values."""
    if isinstance(error, ZeroDivisionError):
        return "fel vid provutskrift: division med noll"
    if isinstance(error, TypeError):
        return "fel vid provutskrift: värden av olika slag kan inte räknas ihop (text och tal, till exempel)"
    return "fel vid provutskrift med exempelvärdena"
