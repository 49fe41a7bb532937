"""Unit tests of notify: messages, buttons, zone-local times, the catalogue."""
