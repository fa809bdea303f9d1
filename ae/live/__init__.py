"""A training run the dashboard watches: the trainer in a worker thread, the server-wide cap on
runs training at once, pause/resume/stop, a lease that stops a run nobody watches any more, and
the live snapshot (the wall forming, a few reconstructions) a page polls."""
