"""The end-to-end tier: trc up as processes, pages in a headless browser, benchmarks."""
