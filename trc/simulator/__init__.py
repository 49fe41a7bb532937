"""The simulator: a region's day from a scenario file, played against the running stack."""
# Reports by call center, social media and patrol at realistic hours, members pressing their
# buttons in the Telegram stand-in, shelter staff admitting and discharging. `trc simulate`,
# `trc up --demo`, the fault tests and `python -m bench e2e` all use it.
