package dev.execflow.assemble;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.model.WardKind;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import java.util.LinkedHashMap;

/**
 * The fold of every phase row that is not a plain call or conversation row: phase starts and
 * declarations, lifecycle and errors, soundings, reforge steps, wards and sub-cascades. Off the
 * hot path (a few percent of rows), so it may take its time; it holds no state of its own.
 */
final class DetailRows {
  private final AssemblyOptions options;
  private final WarningCounter warnings;
  private final PhaseTable phases;
  private final CallPlacement calls;
  private final VisitLog visits;
  private final MetadataReader meta = new MetadataReader();

  DetailRows(AssemblyOptions options, WarningCounter warnings, PhaseTable phases, CallPlacement calls,
      VisitLog visits) {
    this.options = options;
    this.warnings = warnings;
    this.phases = phases;
    this.calls = calls;
    this.visits = visits;
  }

  MetadataReader metadata() {
    return meta;
  }

  void phaseRow(RowKind kind, LogRow row, double ts) {
    boolean definite = RowText.nonEmpty(row.phaseName()) != null;
    int target;
    if (kind == RowKind.PHASE_START || kind == RowKind.PHASE_DECLARED) {
      String name = startedPhaseName(row);
      if (name == null) {
        warnings.add(WarningKind.PHASE_START_WITHOUT_NAME, "a " + RowText.describe(row) + " row names no phase");
        target = resolve(row);
      } else {
        target = phases.phase(name, options, warnings);
        definite = true;
        if (target >= 0) {
          visits.start(target, kind == RowKind.PHASE_DECLARED ? VisitLog.DECLARED : VisitLog.STARTED, ts, options,
              warnings);
          calls.root(row.traceId(), target, options);
        }
      }
    } else {
      target = resolve(row);
    }
    PhaseAccumulator acc = phases.acc(target);
    acc.touch(ts);

    int step = nonNegative(row.reforgeStep(), "reforge_step ");
    int sounding = nonNegative(row.soundingIndex(), "sounding_index ");
    int callSounding = step == LogRow.NO_INT && kind != RowKind.SOUNDING_RESULT && !kind.isReforge()
        ? sounding : LogRow.NO_INT;
    PhaseAccumulator.Attempt attempt = null;
    if (kind.isReforge() || step != LogRow.NO_INT) {
      reforge(kind, row, ts, acc, step, sounding);
    } else if (callSounding != LogRow.NO_INT) {
      attempt = attempt(acc, callSounding);
      if (attempt != null && Boolean.TRUE.equals(row.isWinner())) {
        acc.winner(callSounding, ts);
      }
    }
    int winning = row.winningSoundingIndex();
    if (winning != LogRow.NO_INT && winning >= 0) {
      attempt(acc, winning);
      acc.winner(winning, ts);
    }
    int slot = calls.register(row.traceId(), target, callSounding, step, definite, phases, options);
    calls.price(row, slot, target, callSounding, step, phases, options, warnings);
    byKind(kind, row, ts, acc, target, callSounding, sounding, attempt);
  }

  private void byKind(RowKind kind, LogRow row, double ts, PhaseAccumulator acc, int target, int callSounding,
      int sounding, PhaseAccumulator.Attempt attempt) {
    switch (kind) {
      case PHASE_START:
      case PHASE_DECLARED:
        acc.lifecycle(Lifecycle.STARTED, ts);
        if (kind == RowKind.PHASE_DECLARED) {
          JsonNode tree = meta.tree(row, warnings); // handoffs is a list: worth a tree on one row a visit
          if (tree != null && tree.has("handoffs")) {
            acc.handoffs(RowJson.handoffTargets(tree.get("handoffs")), ts);
          }
        }
        break;
      case PHASE_COMPLETE:
        acc.lifecycle(Lifecycle.COMPLETED, ts);
        if (target >= 0) {
          visits.close(target, ts);
        } else if (Double.isNaN(acc.closeTs)) {
          acc.closeTs = ts; // closes a visit once an earlier part places these rows
        }
        break;
      case PHASE_ERROR:
      case ERROR:
        acc.lifecycle(Lifecycle.FAILED, ts);
        acc.error(meta.errorMessage(row, warnings), ts);
        break;
      case TURN:
      case LLM_CALL:
        CallRows.fold(kind, row, ts, acc, meta, warnings);
        break;
      case SUB_CASCADE:
        subCascade(row, ts, acc);
        break;
      case SOUNDING_ATTEMPT:
      case SOUNDING_ERROR:
        soundingAttempt(kind, row, ts, callSounding, attempt);
        break;
      case SOUNDING_RESULT:
        soundingResult(row, ts, acc, sounding);
        break;
      case PRE_WARD:
        ward(WardKind.PRE, row, ts, acc);
        break;
      case POST_WARD:
        ward(WardKind.POST, row, ts, acc);
        break;
      case TURN_WARD:
        ward(WardKind.TURN, row, ts, acc);
        break;
      case PRE_WARD_BLOCKED:
      case POST_WARD_BLOCKED:
      case WARD_BLOCKED:
        wardBlock(kind, row, ts, acc);
        break;
      case UNKNOWN:
        warnings.add(WarningKind.UNKNOWN_NODE_TYPE, "node_type " + RowText.quote(row.nodeType()) + ", role "
            + RowText.quote(row.role()));
        break;
      default:
        break;
    }
  }

  private int resolve(LogRow row) {
    return calls.resolve(row, phases, visits.currentPhase(), options, warnings);
  }

  /** A start row's phase: its phase name, else its content when that reads as a name. */
  static String startedPhaseName(LogRow row) {
    String name = RowText.nonEmpty(row.phaseName());
    if (name == null) {
      name = RowText.nonEmpty(RowJson.contentText(row.contentJson()));
      if (name != null && (name.length() > 200 || name.indexOf('\n') >= 0)) {
        name = null;
      }
    }
    return name;
  }

  private int nonNegative(int index, String what) {
    if (index != LogRow.NO_INT && index < 0) {
      warnings.add(WarningKind.NEGATIVE_INDEX, what + index + " ignored");
      return LogRow.NO_INT;
    }
    return index;
  }

  private void subCascade(LogRow row, double ts, PhaseAccumulator acc) {
    meta.scan(row, MetadataReader.SUB_CASCADE, warnings);
    String child = meta.firstString(0, 1, 2);
    if (child == null) {
      child = RowText.nonEmpty(RowJson.contentText(row.contentJson()));
    }
    if (child != null) {
      acc.subCascade(child, ts);
    }
  }

  private void soundingAttempt(RowKind kind, LogRow row, double ts, int callSounding,
      PhaseAccumulator.Attempt attempt) {
    if (callSounding == LogRow.NO_INT) {
      warnings.add(WarningKind.SOUNDING_WITHOUT_INDEX, "a " + RowText.describe(row) + " row has no sounding_index");
      return;
    }
    if (attempt != null && PhaseAccumulator.newer(ts, attempt.statusTs)) {
      attempt.statusTs = ts;
      attempt.status = kind == RowKind.SOUNDING_ATTEMPT ? Lifecycle.COMPLETED : Lifecycle.FAILED;
    }
    if (attempt != null && kind == RowKind.SOUNDING_ATTEMPT && row.contentJson() != null
        && PhaseAccumulator.newer(ts, attempt.previewTs)) {
      attempt.previewTs = ts;
      attempt.preview = RowJson.preview(RowJson.contentText(row.contentJson()), options.previewLength());
    }
  }

  private void soundingResult(LogRow row, double ts, PhaseAccumulator acc, int sounding) {
    meta.scan(row, MetadataReader.SOUNDING_WINNER, warnings);
    int winner = meta.firstInt(0, 1, 2);
    if (winner == LogRow.NO_INT && sounding != LogRow.NO_INT && Boolean.TRUE.equals(row.isWinner())) {
      winner = sounding;
    }
    if (winner != LogRow.NO_INT && winner >= 0) {
      attempt(acc, winner);
      acc.winner(winner, ts);
    } else {
      acc.hasSoundings = true;
    }
  }

  private void reforge(RowKind kind, LogRow row, double ts, PhaseAccumulator acc, int step, int sounding) {
    acc.hasReforge = true;
    boolean scanned = false;
    if (kind == RowKind.REFORGE_EVALUATION || kind == RowKind.REFORGE_WINNER
        || (step == LogRow.NO_INT && kind != RowKind.REFORGE_START && kind != RowKind.REFORGE_THRESHOLD_MET)) {
      meta.scan(row, MetadataReader.REFORGE, warnings);
      scanned = true;
    }
    if (step == LogRow.NO_INT && scanned) {
      step = meta.firstInt(0, 1);
    }
    if (kind == RowKind.REFORGE_THRESHOLD_MET) {
      acc.thresholdMet = true;
    }
    if (step == LogRow.NO_INT || step < 0) {
      if (kind != RowKind.REFORGE_START && kind != RowKind.REFORGE_THRESHOLD_MET) {
        warnings.add(WarningKind.REFORGE_ROW_WITHOUT_STEP, "a " + RowText.describe(row) + " row names no reforge step");
      }
      return;
    }
    PhaseAccumulator.Step s = acc.step(step, options.maxReforgeSteps());
    if (s == null) {
      warnings.add(WarningKind.REFORGE_STEP_LIMIT, "reforge step " + step + " beyond " + options.maxReforgeSteps()
          + " steps");
      return;
    }
    int attemptIndex = sounding != LogRow.NO_INT ? sounding : row.attemptNumber();
    if (kind == RowKind.REFORGE_ATTEMPT && attemptIndex != LogRow.NO_INT && !s.addAttempt(attemptIndex)) {
      warnings.add(WarningKind.ATTEMPT_LIMIT, "reforge step " + step + " has more attempts than counted");
    }
    int winner = LogRow.NO_INT;
    if (kind == RowKind.REFORGE_EVALUATION || kind == RowKind.REFORGE_WINNER) {
      winner = meta.firstInt(2, 3);
    }
    if (winner == LogRow.NO_INT && attemptIndex != LogRow.NO_INT && Boolean.TRUE.equals(row.isWinner())) {
      winner = attemptIndex;
    }
    if (winner != LogRow.NO_INT && PhaseAccumulator.newer(ts, s.winnerTs)) {
      s.winnerTs = ts;
      s.winner = winner;
    }
  }

  private void ward(WardKind kind, LogRow row, double ts, PhaseAccumulator acc) {
    meta.scan(row, MetadataReader.WARD, warnings);
    String validator = meta.firstString(0, 1);
    if (validator == null) {
      warnings.add(WarningKind.WARD_WITHOUT_VALIDATOR, "a " + kind.prefix() + " ward row names no validator");
      validator = "";
    }
    PhaseAccumulator.Ward ward = wardEntry(acc, kind, validator);
    if (ward == null) {
      return;
    }
    ward.firstTs = Extremes.min(ward.firstTs, ts);
    if (PhaseAccumulator.newer(ts, ward.ts)) {
      ward.ts = ts;
      ward.valid = meta.boolValue(2);
      if (ward.valid == null) {
        warnings.add(WarningKind.WARD_WITHOUT_VALID, "ward " + RowText.quote(validator) + " does not say whether it passed");
      }
      ward.reason = meta.stringValue(3);
      ward.mode = meta.stringValue(4);
    }
  }

  private void wardBlock(RowKind kind, LogRow row, double ts, PhaseAccumulator acc) {
    meta.scan(row, MetadataReader.WARD_BLOCK, warnings);
    WardKind wardKind;
    if (kind == RowKind.PRE_WARD_BLOCKED) {
      wardKind = WardKind.PRE;
    } else if (kind == RowKind.POST_WARD_BLOCKED) {
      wardKind = WardKind.POST;
    } else {
      String said = meta.firstString(0, 1, 2);
      wardKind = said != null && said.startsWith("post") ? WardKind.POST
          : said != null && said.startsWith("turn") ? WardKind.TURN : WardKind.PRE;
    }
    String validator = meta.firstString(3, 4);
    String reason = meta.stringValue(5);
    if (validator != null) {
      PhaseAccumulator.Ward blocked = wardEntry(acc, wardKind, validator);
      if (blocked != null && (Double.isNaN(blocked.blockedTs) || ts < blocked.blockedTs)) {
        blocked.blockedTs = ts;
        blocked.blockReason = reason;
      }
    } else {
      acc.anonymousBlock(wardKind, ts, reason); // the ward of that kind that ran last: see Snapshot
    }
    acc.lifecycle(Lifecycle.FAILED, ts);
    acc.error("blocked by " + wardKind.prefix() + " ward"
        + (validator != null ? " " + validator : "") + (reason != null ? ": " + reason : ""), ts);
  }

  private PhaseAccumulator.Ward wardEntry(PhaseAccumulator acc, WardKind kind, String validator) {
    LinkedHashMap<String, PhaseAccumulator.Ward> wards = acc.wards(kind);
    PhaseAccumulator.Ward ward = wards.get(validator);
    if (ward == null) {
      if (wards.size() >= options.maxWardsPerKind()) {
        warnings.add(WarningKind.WARD_LIMIT, "more than " + options.maxWardsPerKind() + " " + kind.prefix() + " wards");
        return null;
      }
      ward = new PhaseAccumulator.Ward();
      wards.put(validator, ward);
    }
    return ward;
  }

  private PhaseAccumulator.Attempt attempt(PhaseAccumulator acc, int index) {
    PhaseAccumulator.Attempt attempt = acc.attempt(index, options.maxAttemptsPerPhase());
    if (attempt == null) {
      warnings.add(WarningKind.ATTEMPT_LIMIT, "sounding index " + index + " beyond " + options.maxAttemptsPerPhase()
          + " attempts");
    }
    return attempt;
  }
}
