"""The invariant checks, one function per contract category.

Each takes (client, api, test) and returns (status, detail). Statuses are
the contract's: pass, fail, timeout, n/a. The data are what discovery
learned (api.users); every check compares the API with itself or with those
data, never with values written down in advance.
"""

import math

import probe_shape as shape
from probe_discover import walk
from probe_filters import small_pages

NO_MATCH_TEXT = "zzqx-no-such-user-9431"
NO_MATCH_NUMBER = "987654321"


class Stop(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def need_users(api, resp, what):
    """The users list of a 200 JSON answer, else Stop with why not."""
    if resp.failure == "timeout":
        raise Stop("timeout", f"{what}: no answer within the time limit")
    if resp.failure:
        raise Stop("fail", f"{what}: {resp.describe()}")
    users = api.users_of(resp)
    if users is None:
        raise Stop("fail", f"{what}: {resp.describe()}, no users array in it")
    return users


def need_paging(api):
    if not api.paged():
        raise Stop("fail", "no page or offset parameter found (tried page, pageNumber, offset, skip, ...)")


def need_size(api):
    if not api.size_param:
        raise Stop("fail", "no page-size parameter found (tried limit, pageSize, per_page, size, ...)")


def need_filter(api, test):
    index = test["input"].get("filter", 0)
    if index < len(api.filters):
        return api.filters[index]
    if index == 0:
        raise Stop("fail", "no filter parameter found (tried user fields as parameters, search, q, ...)")
    raise Stop("n/a", "the answer has one filter; this test needs a second")


def size_for(count, pages_target):
    """A page size that splits `count` users into about `pages_target` pages,
    with a partial last page when possible."""
    size = max(2, math.ceil(count / max(pages_target, 1)))
    if count % size == 0 and size > 2:
        size -= 1
    return size


def missing_and_extra(got_ids, want_ids):
    got, want = set(got_ids), set(want_ids)
    dupes = len(got_ids) - len(got)
    return sorted(want - got)[:3], sorted(got - want)[:3], dupes


def check_lists_users(client, api, test):
    if test["input"].get("check") == "stable":
        a = need_users(api, client.get(api.first_page_target(api.big_size)), "first request")
        b = need_users(api, client.get(api.first_page_target(api.big_size)), "repeated request")
        if api.ids(a) != api.ids(b):
            return "fail", "the same request returned different users or order"
        return "pass", f"{len(a)} users, same order twice"
    users = need_users(api, client.get(api.route), f"GET {api.route}")
    if not users:
        return "fail", "empty list"
    return "pass", f"GET {api.route}: {len(users)} user objects"


def check_page_size(client, api, test):
    need_size(api)
    size, index = test["input"]["size"], test["input"].get("page", 1) - 1
    if index:
        need_paging(api)
    users = need_users(api, client.get(api.target(index, size)), f"page {index + 1} of size {size}")
    want = max(0, min(size, len(api.users) - index * size))
    if len(users) != want:
        return "fail", f"{api.size_param}={size}, page {index + 1}: expected {want} users, got {len(users)}"
    return "pass", f"{len(users)} users"


def check_pages_disjoint(client, api, test):
    need_paging(api)
    size = test["input"]["size"] if api.size_param else api.default_len
    pages = []
    for index in range(test["input"]["pages"]):
        pages.append(api.ids(need_users(api, client.get(api.target(index, size)), f"page {index + 1}")))
    flat = [i for page in pages for i in page]
    if len(set(flat)) != len(flat):
        return "fail", f"pages of size {size} overlap: {len(flat) - len(set(flat))} repeated users"
    if flat != api.order[:len(flat)]:
        return "fail", f"pages of size {size} do not follow the order of one large page"
    if any(len(p) != size for p in pages[:-1]) or not pages[0]:
        return "fail", f"page lengths {[len(p) for p in pages]} for size {size}"
    return "pass", f"{len(pages)} pages of {size}, disjoint, one order"


def check_pages_cover(client, api, test):
    need_paging(api)
    size = size_for(len(api.users), test["input"].get("pages_target", 5))
    got, pages, problem = walk(client, api, size)
    if client.dead == "hung":
        raise Stop("timeout", "the server stopped answering during the walk")
    if problem:
        return "fail", f"walking pages of {size}: {problem}"
    missing, extra, dupes = missing_and_extra(api.ids(got), [shape.identity(u, api.id_key) for u in api.users])
    if missing or extra or dupes:
        return "fail", f"{pages} pages of {size}: missing {missing}, unexpected {extra}, repeated {dupes}"
    return "pass", f"{pages} pages of {size} cover all {len(api.users)} users once"


def filtered_walk(client, api, flt, size, reference=False):
    got, _, problem = walk(client, api, size, {flt.param: flt.value}, reference=reference)
    if client.dead == "hung":
        raise Stop("timeout", "the server stopped answering during a filtered walk")
    if problem:
        raise Stop("fail", f"{flt.param}={flt.value}, pages of {size}: {problem}")
    return got


def app_filtered(client, api, flt):
    """The app's own largest filtered walk: (identities, problem or None)."""
    got, _, problem = walk(client, api, api.big_size, {flt.param: flt.value}, reference=True)
    if client.dead == "hung":
        raise Stop("timeout", "the server stopped answering during a filtered walk")
    return api.ids(got), problem


def learned_matches(api, flt, returned):
    """The users learned that must match, plus those the app returned that
    may match, in the learned order."""
    returned = set(returned)
    return [i for i in api.ids(api.users) if i in flt.expected or (i in returned and i in flt.allowed)]


def filter_reference(client, api, flt):
    """The filtered list whose pages filter-and-page expects: the app's own
    largest filtered walk, unless that walk is wrong where discovery saw the
    filter work (empty or broken although users match): then the matching
    users learned. One wrong page must not redefine "correct"."""
    ids, problem = app_filtered(client, api, flt)
    if flt.consistent and flt.expected and (problem or not ids):
        return learned_matches(api, flt, ids)
    if problem:
        raise Stop("fail", f"{flt.param}={flt.value}, pages of {api.big_size}: {problem}")
    return ids


def filtered_count(client, api, flt):
    """How many users the filter matches: the app's own walk when it agrees
    with the users learned, else the matching users learned."""
    ids, problem = app_filtered(client, api, flt)
    if not flt.consistent:
        if problem:
            raise Stop("fail", f"{flt.param}={flt.value}, pages of {api.big_size}: {problem}")
        return len(ids)
    if not problem and flt.expected <= set(ids) <= flt.allowed:
        return len(ids)
    return len(learned_matches(api, flt, ids))


def check_filter_match(client, api, test):
    flt = need_filter(api, test)
    got = api.ids(filtered_walk(client, api, flt, api.big_size))
    if not got and flt.expected:  # a wrong large page must not hide what the filter returns
        got = small_pages(client.get, api, flt.param, flt.value)
    wrong = [i for i in got if i not in flt.allowed]
    if wrong:
        return "fail", f"{flt.param}={flt.value} returned {len(wrong)} non-matching users, e.g. {wrong[:2]}"
    if not got:
        return "fail", f"{flt.param}={flt.value} returned nothing; {len(flt.expected)} users match"
    return "pass", f"{flt.param}={flt.value}: {len(got)} users, all match"


def check_filter_complete(client, api, test):
    flt = need_filter(api, test)
    size = size_for(len(flt.expected), test["input"].get("pages_target", 3)) if api.paged() else api.big_size
    got = api.ids(filtered_walk(client, api, flt, size))
    missing = sorted(flt.expected - set(got))
    if missing:
        return "fail", f"{flt.param}={flt.value}, pages of {size}: {len(missing)} matching users missing, e.g. {missing[:2]}"
    if len(set(got)) != len(got):
        return "fail", f"{flt.param}={flt.value}, pages of {size}: users repeated across pages"
    return "pass", f"all {len(flt.expected)} matching users over pages of {size}"


def check_filter_and_page(client, api, test):
    flt = need_filter(api, test)
    need_paging(api)
    reference = filter_reference(client, api, flt)
    size = api.default_len
    if api.size_param:  # two full pages when the filtered set allows it
        size = max(1, min(test["input"]["size"], len(reference) // 2 or 1))
    for index in range(test["input"].get("pages", 2)):
        page = api.ids(need_users(api, client.get(api.target(index, size, {flt.param: flt.value})),
                                  f"filtered page {index + 1}"))
        want = reference[index * size:(index + 1) * size]
        if page != want:
            return "fail", (f"{flt.param}={flt.value}, page {index + 1} of size {size}: "
                            f"expected {want[:3]}, got {page[:3]} ({len(page)} users)")
    return "pass", f"{flt.param}={flt.value}: pages of {size} are pages of the filtered list"


CHECKS = {
    "lists-users": check_lists_users,
    "page-size": check_page_size,
    "pages-disjoint": check_pages_disjoint,
    "pages-cover": check_pages_cover,
    "filter-match": check_filter_match,
    "filter-complete": check_filter_complete,
    "filter-and-page": check_filter_and_page,
}
