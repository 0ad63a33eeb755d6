"""Synthetic data at national scale: `flask generate-data`, and the generator the benchmarks share.

people.py, register.py and duplicates.py make the participants; training.py plans cohorts,
sessions, enrollments and marks, training_rows.py writes them; outcomes.py the follow-ups;
accounts.py the synth-* accounts; generate.py runs the parts in one transaction; cli.py is the command.
demo.py and demo_training.py are the small hand-written demo of `flask seed-demo`.
"""


def init_app(app):
    """Add the generate-data command to the app."""
    from registry.synthetic.cli import generate_data_command

    app.cli.add_command(generate_data_command)
