package dev.execflow.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import org.junit.jupiter.api.Test;

class WideSessionTest {
  @Test
  void foldsToOneThousandPhasesWithAllTheirAttemptsAndNoWarnings() {
    ExecutionAssembler assembler = new ExecutionAssembler();
    WideSession.write(1000, 8, assembler);
    ExecutionData data = assembler.snapshot();

    assertThat(data.phases()).hasSize(1000);
    assertThat(data.executedPath()).hasSize(1000);
    assertThat(data.warnings().count()).isZero();
    PhaseExecution last = data.phases().get("phase_999");
    assertThat(last.details().soundings().attempts()).hasSize(8);
    assertThat(last.details().reforge().reforgeSteps()).hasSize(WideSession.STEPS);
    assertThat(last.details().wards()).containsKeys("pre_0", "pre_1", "post_0", "post_1");
  }
}
