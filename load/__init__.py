"""`make load` (`python -m load`): a hall of phones against a running server, on locust.

- `python -m load.prepare` builds a fair for N phones in a database (through the services) and
  writes the spec the phones read: login links, badge codes, categories, the pages' HTML.
- `python -m load.run SPEC` drives the phones with locust (one process, gevent) against
  `--target` and prints its figures as JSON: a *gong* burst (every phone logs in by its link,
  loads the board, opens its socket, opens the post form and posts, all at once) or a *trading*
  period (phones search, post, draft an agreement with a partner and both sign, for a while).
- `python -m load.floor` is the floor: a bare Flask-SocketIO app serving the same pages (the
  HTML captured from Giełda) and emitting the same message on a post, under the same server.
- `python -m load` (`make load`) runs the comparison the issue asks for, each burst three
  times (`LOAD_REPEATS`), and writes the `load` section of docs/benchmarks.md; `python -m load
  --target URL --spec FILE` drives a server you started (the nginx cluster of deploy/, say).
- `python -m load.pages --spec FILE` measures what each of a phone's four pages costs the server
  in CPU, Giełda's and the floor's, in process: what the burst's latency follows.
"""
