"""Trusted judge of the review's prose: does it name each issue AND the fix?

Only prose counts: fenced code (and the comments in it) is removed first;
inline code keeps its text. A mention of an issue inside a negation ("there
is no SQL injection here", "sql.Open per request is not a problem") does not
count. Heuristic by nature: the patterns are tested on realistic reviews in
fixtures/review_go/ and in tests/python/.
"""
import re

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.S | re.M)
SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")
NEGATION_BEFORE = re.compile(
    r"\b(no|not|never|nor|neither|isn't|aren't|wasn't|doesn't|don't|cannot|can't|"
    r"free of|safe from|immune to|protected from|protected against)\b(?!\s+only)[^,;]{0,25}$")
NEGATION_AFTER = re.compile(
    r"^[^,;]{0,25}\b(is not|isn't|are not|aren't|was not|is no longer|not an issue|not a concern|"
    r"not a problem|not possible|impossible|cannot happen|can't happen)\b")

FINDINGS = {
    "sql-injection": {
        "issue": [r"sql[\s-]*injection", r"\bsqli\b", r"(?<!dependency )(?<!dependency-)\binjection\b",
                  r"\binjectable\b", r"\binject(ed|ing|s)?\b[^.]{0,40}\b(sql|query|queries)\b"],
        "fix": [r"parameteri[sz]", r"placeholder", r"prepared[\s-]+statement", r"\bbind(ing)?\s+(param|variable|arg|value)",
                r"\bbound\s+(param|arg|variable|value)", r"`\?`", r"'\?'", r"\"\?\"", r"\$1\b"],
    },
    "n-plus-1": {
        "issue": [r"\bn\s*\+\s*1\b", r"\b1\s*\+\s*n\b",
                  r"\b(a|one|an|separate|extra|additional|another|new)\s+(sql\s+|database\s+|db\s+)?(query|queries|round[\s-]?trip|select)\s+(for|per)\s+(each|every|every single)\s+(user|row|record|result)",
                  r"\b(query|queries|select)\s+(for|per|inside|within|in)\s+(each|every|the)\s+(user|row|record|loop|iteration)",
                  r"\b(query|queries)\s+(inside|within|in)\s+(a|the)\s+(loop|rows\.next)",
                  r"\bnested\s+(query|queries|database calls)", r"\bper[\s-]user\s+(query|queries|select)",
                  r"\b(n|one)\s+(additional\s+|extra\s+|separate\s+)?quer(y|ies)\s+for\s+n\s+users"],
        "fix": [r"\bjoin\b", r"\bjoins\b", r"\bsingle\s+(sql\s+)?query\b", r"\bone\s+(sql\s+)?query\b", r"\btwo\s+queries\b",
                r"\bbatch", r"\bin\s*\(", r"user_id\s+in\b", r"\bany\s*\(", r"json_group_array", r"group_concat",
                r"\beager", r"\bprefetch"],
    },
    "connection-pool": {
        "issue": [r"sql\.open\b[^.]{0,80}\b(every|each|per|on each|on every)\s+(single\s+)?(incoming\s+|http\s+)?(request|call|invocation|time|handler call)",
                  r"\b(every|each|per)[\s-](single\s+)?(incoming\s+|http\s+)?(request|call)\b[^.]{0,80}sql\.open",
                  r"\b(open|opens|opening|create|creates|creating|reopen|reopens|reopening)\s+(a\s+|the\s+)?(new\s+|fresh\s+)?(database|db|sql|sqlite)\s*(connection|handle|pool|object)?s?\b[^.]{0,30}\b(on|for|per|in|with)\s+(every|each)\s+(single\s+)?(incoming\s+|http\s+)?(request|call)",
                  r"\bnew\s+(database\s+|db\s+)?(connection|pool)s?\s+(per|for each|for every|on each|on every)\s+request",
                  r"\bconnection\s+pool\b[^.]{0,60}\b(recreat|re-creat|thrown away|discarded|never reused|not reused|defeat|per request|each request|every request)",
                  r"\bper[\s-]request\s+(sql\.open|database|db|connection)"],
        "fix": [r"\bpool", r"\breus", r"\bre-us", r"\bshare[ds]?\b", r"\bonce\b", r"\bsingle(ton)?\s+(\*?sql\.db|db|database|connection|handle|instance)",
                r"\b(global|package[\s-]level|long[\s-]lived|application[\s-]wide)\b", r"\b(in|at|during)\s+(main|startup|start-up|application start)",
                r"dependency\s+injection", r"\binject\s+(the|a)\s+(db|\*?sql\.db|database)", r"\bstruct\s+field"],
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


def prose_of(answer):
    """The answer without its fenced code; inline code keeps its words."""
    text = FENCE.sub("\n", answer.replace("\r\n", "\n"))
    return text.replace("`", "")


def sentences(text):
    return [s.strip().lower() for s in SENTENCE_END.split(text) if s.strip()]


def negated(sentence, match):
    return bool(NEGATION_BEFORE.search(sentence[:match.start()]) or NEGATION_AFTER.search(sentence[match.end():]))


def mentions(sents, patterns, allow_negated):
    for s in sents:
        for p in patterns:
            for m in re.finditer(p, s):
                if allow_negated or not negated(s, m):
                    return s
    return None


def judge(answer):
    """{finding: {"found", "issue", "fix"}} with the sentences that matched."""
    sents = sentences(prose_of(answer))
    out = {}
    for name, spec in FINDINGS.items():
        issue = mentions(sents, spec["issue"], allow_negated=False)
        fix = mentions(sents, spec["fix"], allow_negated=True)
        out[name] = {"found": bool(issue and fix), "issue": (issue or "")[:200], "fix": (fix or "")[:200]}
    return out


def others(answer):
    sents = sentences(prose_of(answer))
    return {name: mentions(sents, pats, allow_negated=False) is not None for name, pats in OTHER_FINDINGS.items()}
