"""A one-line Flask route, served by gunicorn beside the registry so scripts/bench.py can compare throughputs.

    gunicorn --chdir scripts bench_hello:app
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The cheapest page Flask can answer: the floor the registry's list is compared with."""
    return "Hello"
