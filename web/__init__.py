"""The office web service (`docgen serve`): pages and an HTTP API over the same library calls as the CLI.

    from web.app import create_app
    app = create_app("docgen-data")      # an ASGI app (FastAPI)

Routers by capability: login (web/login.py), search (web/search.py), documents and
issuing (web/documents.py); who may do what is archive/users.py's table, applied by the
dependencies of web/auth.py.
"""
