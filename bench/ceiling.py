"""The ceiling of bench/run.sh: a trivial Flask view, served under the forum's gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"
