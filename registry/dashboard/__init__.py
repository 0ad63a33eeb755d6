"""The dashboard on the home page: counts and charts for the signed-in user's scope.

counts.py and series.py compute the figures in a few aggregate SQL statements (sql.py holds the
pieces that differ between SQLite and PostgreSQL); charts.py turns series into SVG geometry, with
no Flask and no database; build.py puts them together for a user, in their language.
"""
