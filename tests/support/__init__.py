"""Helpers shared by test suites: a real gunicorn server on a free loopback port."""
