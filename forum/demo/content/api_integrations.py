"""Demo threads in the "API & integrations" category (see forum/demo/content/__init__.py)."""

THREADS = [
    {
        "category": "api-integrations",
        "author": "dave_builds",
        "title": "401 invalid_grant when refreshing an OAuth token",
        "age_hours": 144,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
I'm building an internal tool that uploads build artifacts via the API. The first refresh
works, but the next time the job runs (about an hour later) it fails:

```
$ curl -s -X POST https://api.example.com/oauth/token \\
    -d grant_type=refresh_token \\
    -d refresh_token="$NW_REFRESH_TOKEN" \\
    -d client_id="$NW_CLIENT_ID" \\
    -d client_secret="$NW_CLIENT_SECRET"
{"error":"invalid_grant","error_description":"refresh token is invalid or was already used"}
```

The refresh token is stored in our CI secrets and hasn't changed. What am I doing wrong?
""",
        "replies": [
            {
                "author": "sam_support",
                "after_hours": 2.0,
                "body": """\
Hi Dave, that's expected behaviour: we use **refresh token rotation**. Every successful
refresh response contains a **new** `refresh_token`, and the old one becomes invalid. Because
your CI secret never changes, the second run reuses a token that was already spent.

Options:

1. **Store the new refresh token** after each refresh (e.g. in a secrets manager your job can
   write to).
2. Better for CI: use a **service account key** instead of OAuth user tokens. Create one
   under **Dashboard → Developer → Service accounts** and use the client credentials grant:

```python
import requests

resp = requests.post(
    "https://api.example.com/oauth/token",
    data={"grant_type": "client_credentials", "scope": "files.write"},
    auth=(client_id, client_secret),
    timeout=10,
)
resp.raise_for_status()
token = resp.json()["access_token"]  # valid for 1 hour, no refresh token needed
```

Docs: https://docs.example.com/api/authentication#service-accounts
""",
            },
            {
                "author": "dave_builds",
                "after_hours": 3.0,
                "body": "Didn't know about rotation. Switched to a service account, much "
                "simpler. Thanks!",
            },
        ],
    },
    {
        "category": "api-integrations",
        "author": "tomasz_w",
        "title": "What are the rate limits for GET /v2/files?",
        "age_hours": 528,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
I'm syncing our file index into an internal search tool and I'm getting `429 Too Many
Requests` after a few hundred calls to `GET /v2/files?folder_id=…`. The API docs mention rate
limits but don't give numbers. What's the limit, and is there a better way to list
everything than walking folders one by one?
""",
        "replies": [
            {
                "author": "dave_builds",
                "after_hours": 1.0,
                "body": """\
Not staff, but from what I've seen the limit is per token and the response headers tell you
everything:

```
X-RateLimit-Limit: 600
X-RateLimit-Remaining: 0
Retry-After: 37
```

Respect `Retry-After` and you'll be fine. For a full index, use `GET /v2/changes` with a
cursor instead of walking folders: one call returns up to 1,000 entries across all folders.
""",
            },
        ],
    },
    {
        "category": "api-integrations",
        "author": "jenna_k",
        "title": "Webhook signature never matches (Python)",
        "age_hours": 30,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Trying to verify the `X-Northwind-Signature` header on `file.created` webhooks in a small
Flask app, but my computed HMAC never matches the header:

```python
secret = os.environ["NW_WEBHOOK_SECRET"].encode()
body = json.dumps(request.get_json()).encode()
expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
if not hmac.compare_digest(expected, request.headers["X-Northwind-Signature"]):
    abort(401)
```

The secret is copied straight from the dashboard. Am I hashing the wrong thing?
""",
        "replies": [],
    },
]
