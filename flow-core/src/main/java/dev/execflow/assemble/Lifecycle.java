package dev.execflow.assemble;

/** The last lifecycle event of a phase, a sounding attempt or the session. */
enum Lifecycle {
  NONE,
  STARTED,
  COMPLETED,
  FAILED
}
