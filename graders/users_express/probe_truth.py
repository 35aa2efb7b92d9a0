"""Ground truth: which users the app holds, learned once, before any check.

Every category compares the app with this one set, so it must come from
the most complete source the app offers, never from one page that may be
wrong: the users of every discovery answer (the largest page and its walk
first), and, when the app's own total says the walk missed some, the data
in the answer's code if it is a literal (read from the text extraction
wrote, never from what the answer's process reports). See
graders/README.md, "Servers: the trusted prober".
"""

import json

import probe_literal
import probe_shape as shape


def seen_users(client, api):
    """The users of every cached answer of the route (discovery's requests),
    in the order they were asked for."""
    users = []
    for target, resp in client.cache.items():
        if target == api.route or target.startswith(api.route + "?"):
            users += api.users_of(resp) or []
    return users


def adopt_literal(api, body, texts):
    """Replace api.users by a literal array of the answer's code when the
    app's total (in `body`, its unfiltered first answer) counts exactly that
    array, the users learned are fewer, and every one of them is in it:
    the app showed only part of the data it counts. An app that hides
    users on purpose counts what it shows, so its literal is left alone."""
    totals = {value for _, value in shape.total_candidates(body)}
    if not texts or not totals or len(api.users) in totals:
        return False
    learned = {canonical(user) for user in api.users}
    for array in probe_literal.object_arrays(texts):
        keys = [canonical(user) for user in array]
        if len(array) not in totals or len(array) <= len(api.users) or len(set(keys)) != len(keys):
            continue
        if learned <= set(keys) and shape.choose_id_key(array) == api.id_key:
            api.users = array
            api.user_source = "the answer's literal data"
            api.notes.append(f"the pages showed {len(learned)} users; the total and the answer's literal data say "
                             f"{len(array)}: the literal is the ground truth")
            return True
    return False


def canonical(user):
    return json.dumps(user, sort_keys=True)
