"""Filter discovery: which query parameters filter the users, and on what.

A candidate is a user field used as a parameter (`role=admin`) or a search
parameter (`search=ali`). It counts as a filter when it changes the
answer's list; among those, filters whose results are consistent with the
data are preferred, so a correct filter is what gets graded when the
answer has one, and a broken one otherwise.
"""

import probe_shape as shape
from probe_discover import FIELD_PRIORITY, NAME_FIELDS, SEARCH_PARAMS, Filter

MAX_FIELD_TRIES = 8
MAX_FILTERS = 2


def field_order(fields):
    def key(name):
        counts = fields[name]
        categorical = max(counts.values()) >= 2
        rank = FIELD_PRIORITY.index(name) if name in FIELD_PRIORITY else len(FIELD_PRIORITY)
        return (not categorical, rank, len(counts))
    return sorted(fields, key=key)


def field_candidate(api, name, counts):
    """(value, expected ids, allowed ids) for filtering on field `name`."""
    total = len(api.users)
    choices = [(n, v) for v, n in counts.items() if n < total]
    if not choices:
        return None
    _, value = max(choices, key=lambda c: (c[0], -list(counts).index(c[1])))
    want = value.lower()
    expected, allowed = set(), set()
    for user in api.users:
        ident = shape.identity(user, api.id_key)
        text = shape.text_of(user.get(name, "")).lower() if user.get(name) is not None else ""
        if text == want:
            expected.add(ident)
        if want in text:
            allowed.add(ident)
    if len(allowed) >= total:
        return None
    return value, expected, allowed


def search_term(api):
    """A word from a name-like field that some, not all, users contain."""
    for field in NAME_FIELDS:
        for user in api.users:
            raw = user.get(field)
            if not isinstance(raw, str):
                continue
            for word in raw.replace("@", " ").replace(".", " ").split():
                term = word.lower()[:5]
                holders = [u for u in api.users if term in str(u.get(field, "")).lower()]
                if len(term) >= 3 and 0 < len(holders) < len(api.users):
                    return field, term
    return None, None


def search_candidate(api, field, term):
    expected, allowed = set(), set()
    for user in api.users:
        ident = shape.identity(user, api.id_key)
        if term in str(user.get(field, "")).lower():
            expected.add(ident)
        texts = [shape.text_of(v).lower() for v in user.values() if not isinstance(v, (dict, list)) and v is not None]
        if any(term in t for t in texts):
            allowed.add(ident)
    return expected, allowed


def try_filter(client, api, baseline_ids, param, field, value, mode, expected, allowed):
    """(filter, consistent) when the parameter changes the list, else None."""
    users = api.users_of(client.reference(api.target(0, api.big_size, {param: value})))
    if users is None:
        return None
    ids = api.ids(users)
    if ids == baseline_ids:
        return None
    if not ids and expected:  # the largest page may be the wrong one, not the filter
        ids = small_pages(client.reference, api, param, value)
    consistent = bool(ids) and set(ids) <= allowed and (bool(set(ids) & expected) or not expected)
    flt = Filter(param, field, value, mode, expected, allowed)
    flt.consistent = consistent
    return flt, consistent


def small_pages(fetch, api, param, value):
    """Identities on the filtered first page at the default size and at
    size 2: what a filter returns when the largest page is wrongly empty."""
    targets = [api.target(0, None, {param: value})]
    if api.size_param:
        targets.append(api.target(0, 2, {param: value}))
    return [i for target in targets for i in api.ids(api.users_of(fetch(target)) or [])]


def range_params(field):
    cap = field[:1].upper() + field[1:]
    return (f"min{cap}", f"{field}_min", f"min_{field}", f"{field}Min", f"{field}From", f"from{cap}")


def range_candidates(api, fields):
    """Lower bounds on numeric fields (minAge=30): users at or above the
    median must be returned; strictly above also counts as a match."""
    for name in fields:
        values = [u.get(name) for u in api.users]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) or len(set(values)) < 3:
            continue
        bound = sorted(values)[len(values) // 2]
        expected = {shape.identity(u, api.id_key) for u in api.users if u[name] > bound}
        allowed = {shape.identity(u, api.id_key) for u in api.users if u[name] >= bound}
        for param in range_params(name):
            yield param, name, str(bound), "min", expected, allowed


def candidates(api):
    fields = shape.scalar_fields(api.users, api.id_key)
    for name in field_order(fields)[:MAX_FIELD_TRIES]:
        found = field_candidate(api, name, fields[name])
        if found:
            value, expected, allowed = found
            yield name, name, value, "field", expected, allowed
    yield from range_candidates(api, fields)
    field, term = search_term(api)
    if field:
        expected, allowed = search_candidate(api, field, term)
        for param in SEARCH_PARAMS:
            yield param, field, term, "search", expected, allowed


def find_filters(client, api):
    """Up to two filters; consistent ones first, one search at most. Once
    two are found, the remaining field and search candidates are still
    tried, only to learn every parameter that filters (malformed-query
    sends its forms to each of them)."""
    baseline = api.users_of(client.reference(api.target(0, api.big_size)))
    baseline_ids = api.ids(baseline or [])
    good, broken, search_found = [], [], False
    for param, field, value, mode, expected, allowed in candidates(api):
        if client.dead or client.out_of_time():
            break
        listing_only = len(good) >= MAX_FILTERS
        if (mode == "search" and search_found) or (listing_only and (mode == "min" or param in api.filter_params)):
            continue
        result = try_filter(client, api, baseline_ids, param, field, value, mode, expected, allowed)
        if result is None:
            continue
        flt, consistent = result
        api.filter_params.append(param)
        search_found = search_found or (mode == "search" and (consistent or listing_only))
        if not listing_only:
            (good if consistent else broken).append(flt)
    # A parameter with other semantics (age=30 as a minimum) is not graded
    # as a broken filter when the answer has a working one.
    api.filters = good[:MAX_FILTERS] if good else broken[:1]
