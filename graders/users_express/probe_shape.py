"""Reading a users response: where the array is, what identifies a user,
where the total is. Pure functions over parsed JSON (no I/O)."""

import json

ARRAY_KEYS = ("data", "users", "results", "items", "records", "rows", "docs", "list",
              "payload", "content", "result", "entries", "values", "response")
TOTAL_KEYS = ("total", "totalItems", "totalCount", "total_count", "totalUsers", "total_users",
              "totalRecords", "total_records", "totalResults", "total_results", "total_items",
              "totalDocs", "totalElements", "totalMatches", "filteredTotal", "filteredCount",
              "recordsTotal", "itemCount", "count", "matched", "totalFiltered", "resultCount", "results_count")
NESTED_META = ("pagination", "meta", "pageInfo", "page_info", "_meta", "paging", "info", "metadata", "data")
ID_KEYS = ("id", "_id", "uuid", "userId", "user_id", "email", "username")


def is_user_list(value):
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def find_array(body, depth=0):
    """The path (tuple of keys) to the users array in body, or None."""
    if is_user_list(body):
        return ()
    if not isinstance(body, dict) or depth > 2:
        return None
    keys = [k for k in ARRAY_KEYS if k in body] + [k for k in body if k not in ARRAY_KEYS]
    for want_items in (True, False):
        for key in keys:
            value = body[key]
            if is_user_list(value) and (value or not want_items):
                return (key,)
    for key in keys:
        if isinstance(body[key], dict):
            sub = find_array(body[key], depth + 1)
            if sub is not None:
                return (key,) + sub
    return None


def array_at(body, path):
    """The users list at path, else wherever find_array finds one, else None."""
    node = body
    for key in path or ():
        if not isinstance(node, dict) or key not in node:
            node = None
            break
        node = node[key]
    if is_user_list(node):
        return node
    other = find_array(body)
    if other is None:
        return None
    return array_at(body, other) if other != path else None


def total_candidates(body):
    """[(path, value)] of numeric fields named like a total, in preference order."""
    found = []
    if not isinstance(body, dict):
        return found
    places = [((), body)] + [((k,), body[k]) for k in NESTED_META if isinstance(body.get(k), dict)]
    for prefix, node in places:
        for key in TOTAL_KEYS:
            value = node.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                found.append((prefix + (key,), value))
    return sorted(found, key=lambda item: TOTAL_KEYS.index(item[0][-1]))


def value_at(body, path):
    node = body
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, int) and not isinstance(node, bool) else None


def choose_id_key(users):
    for key in ID_KEYS:
        values = [u.get(key) for u in users]
        if users and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values) \
                and len(set(map(str, values))) == len(values):
            return key
    return None


def identity(user, id_key):
    if id_key and id_key in user:
        return f"{id_key}={user[id_key]}"
    return json.dumps(user, sort_keys=True)


def label(user, id_key):
    return identity(user, id_key)[:60]


def scalar_fields(users, id_key):
    """Field name -> {text value -> count}, for string/number/bool fields."""
    fields = {}
    for user in users:
        for key, value in user.items():
            if key == id_key or isinstance(value, (dict, list)) or value is None:
                continue
            fields.setdefault(key, {})
            text = text_of(value)
            fields[key][text] = fields[key].get(text, 0) + 1
    return fields


def text_of(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
