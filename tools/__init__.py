"""Development tools that are not benchmarks, run from the repository root with the project's Python:

    python -m tools.api_walkthrough --help      # a whole training program through the JSON API
    python -m tools.measure_name_matching       # how well duplicate-name matching finds Cambodian names
    python -m tools.subset_khmer_font           # cut static/fonts/noto-sans-khmer.woff2 from Noto Sans Khmer

The app imports nothing from this package.
"""
