"""`trc region`: the national region data intake's place finder reads — show it, refresh it."""
