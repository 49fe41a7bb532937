"""The supervisors' console: its HTTP API, live feed, pages and the read models behind them."""
