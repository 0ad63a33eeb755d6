"""A one-line Flask route, served by gunicorn beside the registry so bench.national can compare throughputs.

    gunicorn bench.hello:app      # from the repository root
"""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The cheapest page Flask can answer: the floor the registry's list is compared with."""
    return "Hello"
