package dev.execflow.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Physical column names for the logical {@link Column}s: one code path for every schema, configured
 * rather than copied. A column mapped to null is absent from the table (read as null).
 *
 * <pre>{@code
 * ColumnMapping mine = ColumnMapping.RVBBIT.with(Column.PHASE_NAME, "step_name");
 * }</pre>
 */
public final class ColumnMapping {
  /** The original schema: {@code phase_name}, {@code sounding_index}, Float64 timestamps. */
  public static final ColumnMapping WINDLASS = windlass();

  /** The later schema: phases are cells and soundings are candidates; adds {@code message_id}. */
  public static final ColumnMapping RVBBIT = new ColumnMapping("rvbbit", windlass()
      .with(Column.PHASE_NAME, "cell_name")
      .with(Column.SOUNDING_INDEX, "candidate_index")
      .with(Column.WINNING_SOUNDING_INDEX, "winning_candidate_index")
      .physical);

  private final String name;
  private final Map<Column, String> physical;

  private ColumnMapping(String name, Map<Column, String> physical) {
    this.name = name;
    this.physical = Collections.unmodifiableMap(new EnumMap<>(physical));
  }

  private static ColumnMapping windlass() {
    Map<Column, String> names = new EnumMap<>(Column.class);
    for (Column column : Column.values()) {
      names.put(column, column.name().toLowerCase(Locale.ROOT));
    }
    return new ColumnMapping("windlass", names);
  }

  /** A preset by name ({@code windlass} or {@code rvbbit}, case-insensitive). */
  public static Optional<ColumnMapping> preset(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "windlass":
        return Optional.of(WINDLASS);
      case "rvbbit":
        return Optional.of(RVBBIT);
      default:
        return Optional.empty();
    }
  }

  /**
   * The preset whose names a table with these columns uses ({@code cell_name} or {@code
   * candidate_index} means {@link #RVBBIT}, else {@link #WINDLASS}), restricted to them ({@link
   * #presentIn}): what every table-backed source does when no mapping is configured.
   */
  public static ColumnMapping detect(Collection<String> columns) {
    ColumnMapping preset = columns.contains(RVBBIT.name(Column.PHASE_NAME))
        || columns.contains(RVBBIT.name(Column.SOUNDING_INDEX)) ? RVBBIT : WINDLASS;
    return preset.presentIn(columns);
  }

  /**
   * A copy in which every column the table lacks is absent (read as null), except {@link
   * Column#TIMESTAMP} and {@link Column#SESSION_ID}, which no read can do without: a preset
   * applied to an older table that has fewer of the optional columns.
   */
  public ColumnMapping presentIn(Collection<String> columns) {
    Map<Column, String> copy = new EnumMap<>(physical);
    boolean changed = false;
    for (Map.Entry<Column, String> e : copy.entrySet()) {
      Column column = e.getKey();
      if (e.getValue() != null && !columns.contains(e.getValue()) && column != Column.TIMESTAMP
          && column != Column.SESSION_ID) {
        e.setValue(null);
        changed = true;
      }
    }
    return changed ? new ColumnMapping(name, copy) : this;
  }

  /** A copy with {@code column} read from {@code physicalName} (null: the column is absent). */
  public ColumnMapping with(Column column, String physicalName) {
    Map<Column, String> copy = new EnumMap<>(physical);
    copy.put(column, physicalName);
    String label = name.endsWith(" (custom)") ? name : name + " (custom)";
    return new ColumnMapping(label, copy);
  }

  /** The physical name of {@code column}, or null when the table lacks it. */
  public String name(Column column) {
    return physical.get(column);
  }

  /** All logical columns with their physical names (absent ones map to null). */
  public Map<Column, String> names() {
    return physical;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnMapping && ((ColumnMapping) o).physical.equals(physical);
  }

  @Override
  public int hashCode() {
    return Objects.hash(physical);
  }

  @Override
  public String toString() {
    return name;
  }
}
