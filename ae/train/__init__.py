"""Training, in two layers: `trainer` (a plain loop that reports through callbacks, with its
`history` and the `speed` code it uses) and `run` (one dashboard run: a worker thread, the
server-wide `slots`, pause/resume/stop, a `lease`, the `live` view a page polls)."""
