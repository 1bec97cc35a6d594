package dev.lintel.samples.orders.adapters.importer;

import dev.lintel.core.pipeline.DeadLetterFile;
import dev.lintel.core.pipeline.JsonLinesSource;
import dev.lintel.core.pipeline.Pipeline;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.eventsourcing.CheckpointStore;
import dev.lintel.pipeline.ErrorPolicy;
import dev.lintel.pipeline.PipelineProgress;
import dev.lintel.pipeline.ProgressListener;
import dev.lintel.samples.orders.application.Commands.ImportOrder;
import dev.lintel.samples.orders.domain.OrderId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Imports the old system's orders from a JSON-lines file on Lintel's data pipeline:
 *
 * <ol>
 *   <li>read and parse line by line (a malformed line goes to the dead-letter file);
 *   <li>validate each into an {@link ImportOrder} command (an invalid one goes there too, with the
 *       reason);
 *   <li>send the commands, {@code concurrency} at a time (a conflict or a transient failure is
 *       retried; what still fails is dead-lettered);
 *   <li>count what was imported.
 * </ol>
 *
 * <p>The file position is checkpointed in the database, so an interrupted import resumes where it
 * stopped; lines read twice are harmless, since importing an order again changes nothing.
 */
public final class OrderImportJob {
  /** The pipeline's name, also its checkpoint's. */
  public static final String NAME = "historic-orders-import";

  private final CommandBus commands;
  private final CheckpointStore checkpoints;
  private final int concurrency;

  /**
   * Creates the job.
   *
   * @param commands where the import commands go
   * @param checkpoints where the file position is kept between runs
   * @param concurrency how many commands run at once
   */
  public OrderImportJob(CommandBus commands, CheckpointStore checkpoints, int concurrency) {
    this.commands = commands;
    this.checkpoints = checkpoints;
    this.concurrency = concurrency;
  }

  /**
   * Runs the import to the end of the file.
   *
   * @param file the JSON-lines file
   * @param deadLetterFile where rejected lines go, one JSON line each with the reason
   * @param progress told the counts, rate and time left a few times a second and at the end
   * @return the final counts: processed + dead-lettered == read
   * @throws IOException if the dead-letter file cannot be written
   * @throws dev.lintel.pipeline.PipelineException if the pipeline fails
   */
  public PipelineProgress run(Path file, Path deadLetterFile, ProgressListener progress)
      throws IOException {
    AtomicLong imported = new AtomicLong();
    try (DeadLetterFile deadLetters = DeadLetterFile.create(deadLetterFile)) {
      Pipeline pipeline =
          Pipeline.from(JsonLinesSource.of(file, HistoricOrder.class))
              .keyedBy(HistoricOrder::id)
              .onError(ErrorPolicy.deadLetter(deadLetters)) // malformed lines
              .map(HistoricOrder::toCommand)
              .named("validate")
              .onError(ErrorPolicy.deadLetter(deadLetters)) // invalid orders
              .mapAsync(concurrency, this::send)
              .named("send")
              .onError(ErrorPolicy.deadLetter(deadLetters).withRetries(3, Duration.ofMillis(50)))
              .to(id -> imported.incrementAndGet())
              .sinkNamed("count")
              .name(NAME)
              .checkpoints(checkpoints)
              .progressInterval(Duration.ofMillis(200))
              .progressListener(progress)
              .build();
      return pipeline.run();
    }
  }

  private OrderId send(ImportOrder command) {
    return commands.send(command);
  }
}
