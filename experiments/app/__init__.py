"""The classroom app: the page, the lockstep pair of models, its charts and the server."""
