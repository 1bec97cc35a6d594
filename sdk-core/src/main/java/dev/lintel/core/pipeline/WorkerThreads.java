package dev.lintel.core.pipeline;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Makes the threads of a stage: platform threads for CPU work and for the source; virtual threads
 * for I/O stages when the running JDK has them (21 or newer), found by reflection because Lintel
 * compiles for Java 17, and platform threads otherwise.
 */
final class WorkerThreads {
  private static final @Nullable Method OF_VIRTUAL = lookUpOfVirtual();

  private WorkerThreads() {}

  /** Tells whether I/O stages get virtual threads on this JVM. */
  static boolean virtualThreadsAvailable() {
    return OF_VIRTUAL != null;
  }

  static ThreadFactory platform(String prefix) {
    AtomicInteger number = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + number.getAndIncrement());
      thread.setDaemon(false);
      return thread;
    };
  }

  static ThreadFactory io(String prefix) {
    Method ofVirtual = OF_VIRTUAL;
    if (ofVirtual != null) {
      try {
        Object builder = ofVirtual.invoke(null);
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        builder =
            builderType
                .getMethod("name", String.class, long.class)
                .invoke(builder, prefix + "-", 0L);
        return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // fall through to platform threads
      }
    }
    return platform(prefix);
  }

  private static @Nullable Method lookUpOfVirtual() {
    try {
      Method method = Thread.class.getMethod("ofVirtual");
      method.invoke(null); // throws on JDKs where virtual threads are a disabled preview
      return method;
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    } catch (InvocationTargetException e) {
      return null;
    }
  }
}
