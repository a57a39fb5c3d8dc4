"""The HTTP side of termlight: the Flask app's blueprints, errors, auth and reload.

Kept apart from the matching core so that the core stays importable (and testable)
without Flask, and so that each concern here lives in one small module.
"""
