package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.LintelException;
import dev.lintel.cqrs.Command;
import dev.lintel.cqrs.CommandBus;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.Query;
import dev.lintel.cqrs.QueryBus;
import dev.lintel.cqrs.QueryHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * Turns handler beans and annotated methods into bus registrations. An annotated method must take
 * exactly one parameter, a {@link Command} (or {@link Query}) type; anything else fails the start
 * naming the method.
 */
final class MethodHandlers {
  private MethodHandlers() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void command(CommandBus bus, Object bean, Method method, String beanName) {
    Class<?> type = parameter(method, Command.class, HandlesCommand.class, beanName);
    ReflectionUtils.makeAccessible(method);
    bus.register((Class) type, (CommandHandler) command -> invoke(bean, method, command));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void query(QueryBus bus, Object bean, Method method, String beanName) {
    Class<?> type = parameter(method, Query.class, HandlesQuery.class, beanName);
    ReflectionUtils.makeAccessible(method);
    bus.register((Class) type, (QueryHandler) query -> invoke(bean, method, query));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void commandBean(CommandBus bus, CommandHandler<?, ?> handler, Class<?> type) {
    bus.register((Class) type, (CommandHandler) handler);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void queryBean(QueryBus bus, QueryHandler<?, ?> handler, Class<?> type) {
    bus.register((Class) type, (QueryHandler) handler);
  }

  private static Class<?> parameter(
      Method method, Class<?> messageType, Class<?> annotation, String beanName) {
    Class<?>[] parameters = method.getParameterTypes();
    if (parameters.length != 1 || !messageType.isAssignableFrom(parameters[0])) {
      throw new IllegalStateException(
          "@"
              + annotation.getSimpleName()
              + " method "
              + method.getName()
              + " of bean '"
              + beanName
              + "' must take exactly one "
              + messageType.getSimpleName()
              + " parameter");
    }
    return parameters[0];
  }

  private static @Nullable Object invoke(Object bean, Method method, Object message) {
    try {
      return method.invoke(bean, message);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new LintelException(
          "Handler "
              + method.getDeclaringClass().getSimpleName()
              + "."
              + method.getName()
              + " failed",
          cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Cannot call handler " + method, e);
    }
  }
}
