package dev.troupe.bench.load;

/** A server under {@code wrk} load: its name in the results, its HTTP port, its process. */
record WrkTarget(String name, int port, ServerProcess process) {

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Runs {@code target} and freezes (SIGSTOP) the others, so they take no CPU meanwhile. */
  static void only(WrkTarget target, WrkTarget... all) throws Exception {
    for (WrkTarget t : all) {
      if (t != target) {
        t.process().pause();
      }
    }
    target.process().resume();
  }
}
