"""Helpers the tests share: data factories, servers, parsers, counters. Fixtures stay in conftest.py."""
