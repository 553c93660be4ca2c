"""gunicorn's settings for the benches' bare server (bench/servers.py `start_gunicorn`, not `production`).

gunicorn reads ./gunicorn.conf.py unless given another file, and that one logs every request to
stdout: a bench then prints thousands of lines and pays for them in its figures. The bare server
reads this instead: warnings only, no access log; the bind and the workers come from its command.
"""

loglevel = "warning"
accesslog = None
