"""Trusted judge of the review's prose: does it name each issue AND the fix?

Only prose counts: fenced code (and the comments in it) is removed first;
inline code keeps its text. A mention of an issue inside a negation ("there
is no SQL injection here", "sql.Open per request is not a problem") does not
count, nor does one dismissed ("... is fine here"); advice against it ("Don't
open the database in the handler") does. Heuristic by nature: the patterns are
tested on the phrasing set in tests/test_prose_phrasings.py (at least 15 ways
to say each finding, and as many that must not count) and on the reviews in
known/. Only the first PROSE_LIMIT characters of prose are read,
which bounds the time a huge answer can cost.
"""
import re

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M)
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")

# A denial of the issue next to its mention ("there is no SQL injection here",
# "sql.Open per request is not a problem"). A dash or colon ends the clause, so
# a heading like "**No connection reuse** — a new pool per request" still counts.
NEGATION_BEFORE = re.compile(
    r"\b(no|not|never|nor|neither|isn't|aren't|wasn't|doesn't|don't|cannot|can't|"
    r"free of|safe from|immune to|protected from|protected against|"
    r"(fine|ok|okay|acceptable|alright|all right|harmless) to)\b(?!\s+only)[^,;:\u2013\u2014]{0,25}$")
NEGATION_AFTER = re.compile(
    r"^[^,;]{0,25}\b(is not|isn't|are not|aren't|was not|is no longer|not an issue|not a concern|"
    r"not a problem|not possible|impossible|cannot happen|can't happen)\b")
# An imperative at the start of a sentence ("Don't open the database in the
# handler", "Never concatenate input into SQL") is advice against what the code
# does: it names the issue, it does not deny it.
IMPERATIVE = re.compile(r"^[\s>*_#+\-\d.)]*(don't|do not|never|avoid)\s+(?!worry|bother|need|mind|care)")
# The mention dismissed later in its sentence ("... is fine here", "... so this
# is not a real problem"), unless a contrast ("but", "however") turns it around
# or a dash starts another clause.
DISMISSAL = re.compile(
    r"\b(is|are|seems|looks|remains|'s)\s+(perfectly\s+|totally\s+|actually\s+|probably\s+|still\s+)?"
    r"(fine|ok|okay|acceptable|harmless|negligible|good enough|all right)\b"
    r"|\bnot\s+(a|an)\s+(real\s+|big\s+|major\s+|serious\s+|actual\s+)?(problem|issue|concern)\b"
    r"|\b(doesn't|does not|don't|do not)\s+matter\b|\bnothing\s+to\s+worry\b")
CLAUSE_BREAK = re.compile(r"\s[-\u2013\u2014]\s|[\u2013\u2014]")
CONTRAST = re.compile(r"\b(but|however|yet|except|unless)\b")

# Building blocks of the patterns below.
PER_REQUEST = (r"(?:(?:on|for|in|with|at|during)\s+)?(?:each|every)\s+(?:single\s+)?(?:incoming\s+|http\s+|new\s+)?"
               r"(?:request|call|invocation|handler\s+(?:call|invocation)|time)|\bper[\s-](?:http[\s-])?(?:request|call)")
DB_THING = (r"(?:\*?sql\.db|database|db|sqlite|shop\.db|(?:connection\s+)?pool|connection|handle)")
OPEN_VERB = (r"(?:re-?)?(?:open|create|establish|initiali[sz]e|instantiate|construct|set\s+up|spin\s+up|make)"
             r"(?:s|ed|d|es|ing)?")
IN_HANDLER = r"(?:inside|in|within|from|into|out\s+of)\s+(?:the\s+|your\s+|each\s+)?(?:request\s+|http\s+)?(?:handler|usershandler|request\s+path|hot\s+path|request\s+scope)"
QUERY_WORD = (r"(?:quer(?:y|ies|ied|ying)|select\w*|fetch\w*|load\w*|lookups?|look\s+up|round[\s-]?trips?|"
              r"db\.query|hits?\s+the\s+(?:database|db)|(?:database|db)\s+calls?)")
PER_USER = r"(?:per|for\s+each|for\s+every|once\s+per|once\s+for\s+each|once\s+for\s+every)\s+(?:single\s+)?(?:user|row|record|result|iteration|customer)"
IN_LOOP = r"(?:inside|within|in)\s+(?:a|the|each|every)\s+(?:[\w.()]+\s+){0,2}?loop"
USER_DATA = (r"(?:user[\s-](?:input|supplied|controlled|provided|data)|untrusted\s+(?:input|data)|request\s+(?:data|parameter|input)|"
             r"the\s+(?:name|search)\s+(?:value|parameter|param|term)|search\s+term|name|input)")
INTO_SQL = r"(?:(?:straight|directly|right)\s+)?(?:into|in|inside)\s+(?:the\s+|your\s+|a\s+)?(?:raw\s+)?(?:sql|query|statement|like\s+clause|where\s+clause)"

FINDINGS = {
    "sql-injection": {
        "issue": [r"sql[\s-]*injection", r"\bsqli\b", r"(?<!dependency )(?<!dependency-)\binjection\b",
                  r"\binjectable\b", r"\binject(ed|ing|s)?\b[^.]{0,40}\b(sql|query|queries)\b",
                  USER_DATA + r"\b.{0,60}?\b(goes|go|flows?|passed|fed|concatenated|interpolated|spliced|pasted|put|inserted|embedded|built)\b.{0,20}?" + INTO_SQL,
                  r"\b(concatenat\w*|interpolat\w*|splic\w*)\b.{0,50}\b(sql|query|statement)",
                  r"\b(sql|query|statement|clause|query\s+string)\b.{0,40}\b(built|build|building|constructed|assembled|formatted|concatenated)\b"
                  r".{0,40}(\+|concatenat|sprintf|user|input|request|name)",
                  r"\b(build|building|constructing|assembling)\s+(the\s+)?(sql|query|statement)\b.{0,40}(\+|concatenat|sprintf|user|input|request)",
                  r"'1'\s*=\s*'1", r"\bdrop\s+table\b", r"\bunion\s+select\b"],
        "fix": [r"parameteri[sz]", r"placeholder", r"prepared[\s-]+statement", r"\bbind(ing)?\s+(param|variable|arg|value)",
                r"\bbound\s+(param|arg|variable|value)", r"`\?`", r"'\?'", r"\"\?\"", r"\$1\b",
                r"\bbind(s|ing)?\s+(the|it|them|each|its|that)\b(?!\s+(port|address|server|listener))",
                r"(?:(?<=\s)|(?<=[(,=]))\?(?=[\s,)'\"]|$)",
                # advice ("pass it as an argument"), not a description ("name is passed as a query parameter")
                r"\b(pass|passing|hand|give|supply|send)\b.{0,50}\bas\s+(an?\s+)?(((sql|bound|bind|separate)\s+)?"
                r"(argument|arg|parameter|param)|query\s+(argument|arg))s?\b",
                r"\b(query|sql)\s+(arguments|args)\b", r"\b(use|using|switch\s+to)\s+(sql\s+|query\s+)?(parameters|params|arguments|args)\b"],
    },
    "n-plus-1": {
        "issue": [r"\bn\s*\+\s*1\b", r"\b1\s*\+\s*n\b",
                  r"\b(a|one|an|separate|extra|additional|another|new)\s+(sql\s+|database\s+|db\s+)?(query|queries|round[\s-]?trip|select)\s+(for|per)\s+(each|every|every single)\s+(user|row|record|result)",
                  r"\b(query|queries|select)\s+(for|per|inside|within|in)\s+(each|every|the)\s+(user|row|record|loop|iteration)",
                  r"\b(query|queries)\s+(inside|within|in)\s+(a|the)\s+(loop|rows\.next)",
                  r"\bnested\s+(query|queries|database calls)", r"\bper[\s-]user\s+(\w+\s+)?(query|queries|select|lookups?|fetch\w*|round[\s-]?trips?)",
                  r"\b(n|one)\s+(additional\s+|extra\s+|separate\s+)?quer(y|ies)\s+for\s+n\s+users",
                  QUERY_WORD + r"\b.{0,40}?\b" + PER_USER + r"\b",
                  QUERY_WORD + r"\b.{0,60}?\b" + IN_LOOP,
                  r"\b(iteration|loop)\b.{0,40}\b(issues|runs|executes|performs|makes|fires|sends|does)\b.{0,30}\b(query|select|round)",
                  r"\b(for|with)\s+(each|every)\s+(user|row)\b.{0,50}\b(another|a\s+separate|an?\s+extra|an?\s+additional|its\s+own|one\s+more|a\s+new|a)\s+(\w+\s+)?(query|select|round)",
                  r"\b\d+\s+users?\b.{0,30}\b\d+\s+quer", r"\buser\s+by\s+user\b",
                  r"quer(y|ies)[\s-]in[\s-](a[\s-])?loop", r"\bnumber\s+of\s+queries\b.{0,40}\b(users|rows)"],
        "fix": [r"\bjoin\b", r"\bjoins\b", r"\bsingle\s+(\w+\s+){0,2}?query\b", r"\bone\s+(sql\s+)?query\b(?!\s+(per|for\s+each|for\s+every))",
                r"\btwo\s+queries\b", r"\bbatch", r"\bin\s*\(", r"user_id\s+in\b", r"\bany\s*\(", r"json_group_array", r"group_concat",
                r"\beager", r"\bprefetch", r"\ball\s+at\s+once\b", r"\bin\s+one\s+(go|pass|round[\s-]?trip)\b"],
    },
    "connection-pool": {
        "issue": [r"sql\.open\b(?:(?!\bonce\b|\bmain\b|\bstart-?up\b).){0,80}?" + PER_REQUEST,
                  r"\b(every|each|per)[\s-](single\s+)?(incoming\s+|http\s+)?(request|call)\b.{0,80}sql\.open",
                  r"sql\.open\b.{0,40}?" + IN_HANDLER, IN_HANDLER + r".{0,40}?sql\.open",
                  r"sql\.open\b.{0,40}?\beach\s+time\b",
                  OPEN_VERB + r"\s+(a\s+|the\s+|its\s+own\s+|new\s+|fresh\s+|brand[\s-]new\s+|separate\s+)*" + DB_THING + r"s?\b.{0,40}?" + PER_REQUEST,
                  OPEN_VERB + r"\s+(a\s+|the\s+|its\s+own\s+|new\s+|fresh\s+|brand[\s-]new\s+|separate\s+)*" + DB_THING + r"s?\b.{0,20}?" + IN_HANDLER,
                  DB_THING + r"s?\s+(\w+\s+){0,2}?(is\s+|are\s+|gets\s+|get\s+|being\s+|was\s+)?" + OPEN_VERB + r"\b.{0,30}?(" + PER_REQUEST + "|" + IN_HANDLER + ")",
                  r"\b(every|each)\s+(single\s+)?(incoming\s+|http\s+)?request\b.{0,40}?\b" + OPEN_VERB + r"\b.{0,30}?" + DB_THING,
                  r"\bnew\s+(database\s+|db\s+)?(connection|pool)s?\s+(per|for each|for every|on each|on every)\s+request",
                  r"\bconnection\s+pool\b[^.]{0,60}\b(recreat|re-creat|thrown away|discarded|never reused|not reused|defeat|per request|each request|every request)",
                  r"\bper[\s-]request\s+(sql\.open|database|db|connection)"],
        "fix": [r"(?<!new )(?<!fresh )(?<!own )\bpool", r"\breus", r"\bre-us", r"\bshare[ds]?\b",
                r"\bonce\b(?!\s+(per|for\s+each|for\s+every|on\s+each|on\s+every|each|every))",
                r"\bsingle(ton)?\s+(\*?sql\.db|db|database|connection|handle|instance)",
                r"\b(global|package[\s-]level|long[\s-]lived|application[\s-]wide)\b", r"\b(in|at|during)\s+(main|startup|start-up|application start)",
                r"\b(at|on|during)\s+(program|process|server|app|application)\s+(start|startup|start-up|init)",
                r"\bhoist", r"\bout\s+of\s+the\s+handler", r"\binitiali[sz]ation\b",
                r"dependency\s+injection", r"\binject\s+(the|a|it)\b", r"\bstruct\s+field", r"\bfield\s+of\s+a\b"],
    },
}

# Not categories of their own: reported in extra for the reader.
OTHER_FINDINGS = {
    "rows-not-closed": [r"\b(rows|orows)\b[^.]{0,40}\b(not|never)\s+(being\s+)?closed", r"rows\.close", r"close\s+(the\s+)?(rows|result set|cursor)"],
    "ignored-errors": [r"\b(ignor|unchecked|not\s+check|swallow|discard)\w*[^.]{0,40}\berr", r"rows\.err\(\)", r"\bscan\s+error"],
    "error-text-leak": [r"\b(leak|expos|reveal|return)\w*[^.]{0,60}\b(internal|raw|database|db|sql)\s+(error|details|message)",
                        r"err\.error\(\)[^.]{0,60}\b(client|user|response)"],
    "server-timeouts": [r"\btimeouts?\b", r"readtimeout|writetimeout|readheadertimeout"],
    "content-type": [r"content-type"],
    "null-vs-empty-array": [r"\bnull\b", r"empty\s+(json\s+)?(array|slice|list)"],
    "db-never-closed": [r"(db|database|connection)[^.]{0,40}\bnever\s+closed", r"db\.close"],
    "request-context": [r"querycontext", r"r\.context\(\)", r"\bcontext\b"],
}


# Compiled once when the script server imports this module, not per answer.
COMPILED = {name: {part: [re.compile(p) for p in pats] for part, pats in spec.items()}
            for name, spec in FINDINGS.items()}
COMPILED_OTHERS = {name: [re.compile(p) for p in pats] for name, pats in OTHER_FINDINGS.items()}
PROSE_LIMIT = 100_000  # characters; a real review is a few thousand


def prose_of(answer):
    """The answer without its fenced code; inline code keeps its words."""
    text = FENCE.sub("\n", answer.replace("\r\n", "\n"))
    return text.replace("`", "")[:PROSE_LIMIT]


def sentences(text):
    return [s.strip().lower() for s in SENTENCE_END.split(text) if s.strip()]


def negated(sentence, match):
    before, after = sentence[:match.start()], sentence[match.end():]
    advice = IMPERATIVE.match(before)
    if advice:
        before = before[advice.end():]
    clause = CLAUSE_BREAK.split(after, maxsplit=1)[0]
    dismissed = DISMISSAL.search(clause) and not CONTRAST.search(clause)
    return bool(NEGATION_BEFORE.search(before) or NEGATION_AFTER.search(after) or dismissed)


def mentions(sents, patterns, allow_negated):
    for s in sents:
        for p in patterns:
            for m in p.finditer(s):
                if allow_negated or not negated(s, m):
                    return s
    return None


def judge(answer):
    """{finding: {"found", "issue", "fix"}} with the sentences that matched."""
    sents = sentences(prose_of(answer))
    out = {}
    for name, spec in COMPILED.items():
        issue = mentions(sents, spec["issue"], allow_negated=False)
        fix = mentions(sents, spec["fix"], allow_negated=True)
        out[name] = {"found": bool(issue and fix), "issue": (issue or "")[:200], "fix": (fix or "")[:200]}
    return out


def others(answer):
    sents = sentences(prose_of(answer))
    return {name: mentions(sents, pats, allow_negated=False) is not None for name, pats in COMPILED_OTHERS.items()}
