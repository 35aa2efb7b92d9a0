"""Discovery: what the answer's API looks like, learned only by probing.

The route, the page-size parameter, the page (or offset) parameter and
its base, the array's place in the body, the total, and the filters. The
data are the answer's own, so they are learned by fetching everything.
"""

import urllib.parse

import probe_shape as shape
import probe_truth

ROUTES = ("/users", "/api/users", "/api/v1/users", "/v1/users", "/api/v2/users", "/api/user",
          "/user", "/users/list", "/api/users/list", "/api/users/search", "/users/search", "/")
SIZE_PARAMS = ("limit", "pageSize", "page_size", "per_page", "perPage", "size", "pagesize",
               "limitPerPage", "itemsPerPage", "take", "count", "per", "rows", "max", "pageLimit")
PAGE_PARAMS = ("page", "pageNumber", "page_number", "pageNo", "pageNum", "p", "pageIndex",
               "currentPage", "pg")
OFFSET_PARAMS = ("offset", "skip", "start", "from")
SEARCH_PARAMS = ("search", "q", "query", "keyword", "term", "filter", "s")
FIELD_PRIORITY = ("role", "status", "department", "city", "country", "gender", "type", "category",
                  "isActive", "active", "name", "firstName", "lastName", "email", "username",
                  "age", "company", "location", "state", "occupation", "title", "position", "team")
NAME_FIELDS = ("name", "fullName", "full_name", "firstName", "first_name", "username", "lastName", "email")
BIG_SIZES = (100, 50, 20, 10)
# Page and size spelled out, for apps with no defaults; most common first.
EXPLICIT_SIZE = 10
EXPLICIT_FORMS = tuple(dict(form) for form in (
    (("page", 1), ("limit", EXPLICIT_SIZE)), (("page", 1), ("pageSize", EXPLICIT_SIZE)),
    (("page", 1), ("per_page", EXPLICIT_SIZE)), (("page", 1), ("size", EXPLICIT_SIZE)),
    (("offset", 0), ("limit", EXPLICIT_SIZE)), (("skip", 0), ("limit", EXPLICIT_SIZE)),
    (("skip", 0), ("take", EXPLICIT_SIZE)), (("page", 1), ("perPage", EXPLICIT_SIZE)),
    (("page", 1), ("page_size", EXPLICIT_SIZE)), (("pageNumber", 1), ("pageSize", EXPLICIT_SIZE)),
    (("start", 0), ("limit", EXPLICIT_SIZE))))
MAX_EXPLICIT_ROUTES = 3
MAX_FIELD_TRIES = 8


class Api:
    """What discovery found; `target` builds request paths from it."""

    def __init__(self, route):
        self.route = route
        self.array_path = ()
        self.size_param = None
        self.page_param = None
        self.page_base = 1
        self.offset_param = None
        self.default_len = 0
        self.big_size = None
        self.total_path = None
        self.id_key = None
        self.users = []
        self.order = []  # identities in the order of the largest-page walk
        self.filters = []
        self.filter_params = []  # every parameter seen to filter, graded or not
        self.required = {}  # parameters the app lists no users without (no defaults)
        self.user_source = "pages"
        self.notes = []

    def paged(self):
        return bool(self.page_param or self.offset_param)

    def target(self, index=0, size=None, extra=None, raw=None):
        """Path for the page `index` (0 = first) of `size` users. A parameter
        the app requires (no default) is always sent; `extra` wins over it."""
        params = dict(extra or {})
        if size is not None and self.size_param:
            params.setdefault(self.size_param, size)
        if self.page_param and (index or self.page_param in self.required):
            params.setdefault(self.page_param, self.page_base + index)
        elif self.offset_param and (index or self.offset_param in self.required):
            params.setdefault(self.offset_param, index * (size or self.default_len))
        for name, value in self.required.items():
            params.setdefault(name, value)
        query = urllib.parse.urlencode(list(params.items()))
        if raw:
            query = raw if not query else raw + "&" + query
        return self.route + ("?" + query if query else "")

    def required_params(self):
        """What every request must carry, its page parameter at the first page."""
        params = dict(self.required)
        if self.page_param in params:
            params[self.page_param] = self.page_base
        if self.offset_param in params:
            params[self.offset_param] = 0
        return params

    def plain_target(self):
        """The plainest request that lists users: the route, plus the
        parameters the app cannot do without."""
        return self.target(0)

    def first_page_target(self, size=None, extra=None):
        """First page with the page parameter spelled out (page=base)."""
        params = dict(extra or {})
        if self.page_param:
            params[self.page_param] = self.page_base
        return self.target(0, size, params)

    def users_of(self, resp):
        if resp.failure or resp.status != 200 or not resp.is_json:
            return None
        return shape.array_at(resp.body, self.array_path)

    def ids(self, users):
        return [shape.identity(u, self.id_key) for u in users]

    def describe(self):
        return {
            "route": self.route, "array_path": list(self.array_path), "size_param": self.size_param,
            "page_param": self.page_param, "page_base": self.page_base if self.page_param else None,
            "offset_param": self.offset_param, "default_page_length": self.default_len,
            "total_field": ".".join(self.total_path) if self.total_path else None,
            "required_params": self.required or None, "id_field": self.id_key,
            "users_learned": len(self.users), "users_from": self.user_source,
            "filters": [f.describe() for f in self.filters], "notes": self.notes,
        }


class Filter:
    """A working filter: `param=value`, and which users must / may match."""

    def __init__(self, param, field, value, mode, expected, allowed):
        self.param, self.field, self.value, self.mode = param, field, value, mode
        self.expected, self.allowed = expected, allowed  # sets of identities
        self.consistent = True  # discovery's answer agreed with the users learned

    def describe(self):
        # Field names and values come from the answer's data: capped, so the
        # prober's reply stays far below the channel's line cap.
        cap = lambda v: v[:200] if isinstance(v, str) else v  # noqa: E731
        return {"param": cap(self.param), "field": cap(self.field), "value": cap(self.value), "mode": self.mode,
                "matching_users": len(self.expected)}


def find_route(client, hints):
    """(route, array path, first response, tried, answered): the first route
    whose bare GET lists users; `answered` are the routes that answered
    something other than Express's "Cannot GET" (worth a second look)."""
    ordered = sorted(hints, key=lambda r: ("user" not in r.lower(), ":" in r or "*" in r, len(r)))
    candidates = [r for r in ordered if ":" not in r and "*" not in r and "(" not in r]
    tried, answered = [], []
    for route in candidates + [r for r in ROUTES if r not in candidates]:
        if client.dead or client.out_of_time() or len(tried) >= 16:
            break
        resp = client.reference(route)
        # A body refused at a declared limit says so: the answer's fail names it.
        tried.append(f"{route} ({resp.describe()})" if resp.refused else route)
        if resp.status == 200 and resp.is_json:
            path = shape.find_array(resp.body)
            if path is not None and shape.array_at(resp.body, path):
                return route, path, resp, tried, answered
        if resp.is_json or resp.status not in (None, 404):
            answered.append(route)
    return None, None, None, tried, answered


def find_required_params(client, routes):
    """For an app with no defaults (a bare request slices with NaN, or is
    refused): (route, path, response, required params) of the first route
    that lists users once page and size are spelled out, else None. One
    request carrying every common spelling, then the smallest form that
    still works, so the report and later requests name only what is used."""
    for route in routes[:MAX_EXPLICIT_ROUTES]:
        if client.dead or client.out_of_time():
            return None
        everything = {}
        for form in EXPLICIT_FORMS:
            everything.update(form)
        found = _lists_users(client, route, everything)
        if found is None:
            continue
        for form in EXPLICIT_FORMS:
            smaller = _lists_users(client, route, form)
            if smaller is not None:
                return (route,) + smaller + (dict(form),)
        return (route,) + found + (everything,)
    return None


def _lists_users(client, route, params):
    resp = client.reference(route + "?" + urllib.parse.urlencode(list(params.items())))
    if resp.status != 200 or not resp.is_json:
        return None
    path = shape.find_array(resp.body)
    if path is None or not shape.array_at(resp.body, path):
        return None
    return path, resp


def find_size_param(client, api):
    k = 2 if api.default_len != 2 else 3
    for name in SIZE_PARAMS:
        users = api.users_of(client.reference(api.target(0, None, {name: k})))
        if users is not None and len(users) == k:
            return name
        if client.dead:
            break
    return None


def find_page_param(client, api, size):
    first = api.users_of(client.reference(api.target(0, size)))
    if not first:
        return
    first_ids = api.ids(first)
    for name in PAGE_PARAMS:
        second = api.users_of(client.reference(api.target(0, size, {name: 2})))
        if second and api.ids(second) != first_ids:
            api.page_param = name
            api.page_base = detect_base(client, api, size, name, first_ids)
            return
    for name in OFFSET_PARAMS:
        shifted = api.users_of(client.reference(api.target(0, size, {name: 1})))
        if shifted and len(first_ids) > 1 and api.ids(shifted)[0] == first_ids[1]:
            api.offset_param = name
            return


def detect_base(client, api, size, name, first_ids):
    one = api.users_of(client.reference(api.target(0, size, {name: 1})))
    if one is not None and api.ids(one) == first_ids:
        return 1
    zero = api.users_of(client.reference(api.target(0, size, {name: 0})))
    if zero is not None and api.ids(zero) == first_ids and one:
        api.notes.append(f"{name} counts from 0")
        return 0
    api.notes.append(f"{name}=1 is not the first page")
    return 1


def walk(client, api, size=None, extra=None, max_pages=None, reference=False):
    """All users over consecutive pages. Returns (users, pages, problem).
    `reference`: the walk gathers reference data, so answers may be reused."""
    fetch = client.reference if reference else client.get
    users, pages, previous = [], 0, None
    step = size or api.default_len or 1
    limit = max_pages or min(80, max(4, len(api.users) // max(step, 1) + 4))
    for index in range(limit):
        resp = fetch(api.target(index, size, extra))
        batch = api.users_of(resp)
        if batch is None:
            return users, pages, f"page {index + 1}: {resp.describe()}"
        if not batch:
            return users, pages, None
        pages += 1
        ids = api.ids(batch)
        if ids == previous:
            return users, pages, f"page {index + 1} repeats page {index}"
        previous = ids
        users.extend(batch)
        page_size = size if (size is not None and api.size_param) else api.default_len
        if not api.paged() or len(batch) < page_size:
            return users, pages, None
    return users, pages, f"no end after {limit} pages"


def learn_users(client, api, first_users):
    """Everything the API will show: a walk with the largest accepted page
    size, plus what the first response and page 0 showed, plus the users of
    every other discovery answer (one wrong page cannot hide a user that
    another answer showed)."""
    for big in (BIG_SIZES if api.size_param else (None,)):
        users = api.users_of(client.reference(api.target(0, big)))
        if users:
            api.big_size = big
            break
    api.users = list(first_users)
    seen = list(first_users)
    walked, _, problem = walk(client, api, api.big_size, max_pages=60, reference=True)
    if problem:
        api.notes.append(f"learning walk: {problem}")
    seen = walked + seen
    if api.page_param and api.page_base == 1:
        extra = api.users_of(client.reference(api.target(0, api.big_size, {api.page_param: 0})))
        seen += extra or []
    api.id_key = shape.choose_id_key(dedupe(seen, None))
    # Without an id the same user may look different across answers: the
    # other answers are added only when users can be told apart.
    elsewhere = probe_truth.seen_users(client, api) if api.id_key else []
    api.users = dedupe(seen + elsewhere, api.id_key)
    api.order = api.ids(walked)


def dedupe(users, id_key):
    out, keys = [], set()
    for user in users:
        key = shape.identity(user, id_key)
        if key not in keys:
            keys.add(key)
            out.append(user)
    return out


def choose_total(api, body):
    candidates = shape.total_candidates(body)
    for path, value in candidates:
        if value == len(api.users):
            return path
    for path, _ in candidates:
        if "total" in path[-1].lower():
            return path
    return None
