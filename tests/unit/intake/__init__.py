"""Unit tests of intake's rules: classification, places, priority, linking."""
