package dev.lintel.spring.boot.autoconfigure;

import dev.lintel.core.Lintel;
import dev.lintel.cqrs.CommandHandler;
import dev.lintel.cqrs.QueryHandler;
import java.lang.reflect.Method;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers command and query handlers found on singleton beans on the runtime's buses, once every
 * singleton exists and before the runtime starts: methods annotated {@link HandlesCommand} or
 * {@link HandlesQuery}, and beans implementing {@link CommandHandler} or {@link QueryHandler}
 * (their message type read from the generic interface). A duplicate fails the context's start with
 * the bus's error naming the type.
 */
public final class LintelHandlerRegistrar implements SmartInitializingSingleton {
  private static final Logger log = LoggerFactory.getLogger(LintelHandlerRegistrar.class);

  private final ObjectProvider<Lintel> lintel;
  private final ConfigurableListableBeanFactory beanFactory;

  LintelHandlerRegistrar(
      ObjectProvider<Lintel> lintel, ConfigurableListableBeanFactory beanFactory) {
    this.lintel = lintel;
    this.beanFactory = beanFactory;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Lintel runtime = lintel.getIfUnique();
    if (runtime == null) {
      return;
    }
    int count = 0;
    for (String name : beanFactory.getBeanNamesForType(Object.class, false, false)) {
      Class<?> type = beanFactory.getType(name, false);
      if (type == null || type.getName().startsWith("org.springframework.")) {
        continue;
      }
      count += register(runtime, name, type);
    }
    log.info("Lintel registered {} handler(s) found on beans", count);
  }

  private int register(Lintel runtime, String name, Class<?> type) {
    int count = 0;
    Class<?> target = ClassUtils.getUserClass(type);
    Map<Method, HandlesCommand> commands =
        MethodIntrospector.selectMethods(
            target,
            (MethodIntrospector.MetadataLookup<HandlesCommand>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, HandlesCommand.class));
    Map<Method, HandlesQuery> queries =
        MethodIntrospector.selectMethods(
            target,
            (MethodIntrospector.MetadataLookup<HandlesQuery>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, HandlesQuery.class));
    boolean isCommandHandler = CommandHandler.class.isAssignableFrom(target);
    boolean isQueryHandler = QueryHandler.class.isAssignableFrom(target);
    if (commands.isEmpty() && queries.isEmpty() && !isCommandHandler && !isQueryHandler) {
      return 0;
    }
    Object bean = beanFactory.getBean(name);
    for (Method method : commands.keySet()) {
      MethodHandlers.command(
          runtime.commands(), bean, AopUtils.selectInvocableMethod(method, bean.getClass()), name);
      count++;
    }
    for (Method method : queries.keySet()) {
      MethodHandlers.query(
          runtime.queries(), bean, AopUtils.selectInvocableMethod(method, bean.getClass()), name);
      count++;
    }
    if (isCommandHandler) {
      MethodHandlers.commandBean(
          runtime.commands(),
          (CommandHandler<?, ?>) bean,
          messageType(target, CommandHandler.class, name));
      count++;
    }
    if (isQueryHandler) {
      MethodHandlers.queryBean(
          runtime.queries(),
          (QueryHandler<?, ?>) bean,
          messageType(target, QueryHandler.class, name));
      count++;
    }
    return count;
  }

  private static Class<?> messageType(Class<?> target, Class<?> handlerInterface, String name) {
    Class<?> type = ResolvableType.forClass(target).as(handlerInterface).getGeneric(0).resolve();
    if (type == null) {
      throw new IllegalStateException(
          "Bean '"
              + name
              + "' implements "
              + handlerInterface.getSimpleName()
              + " but its message type cannot be read from "
              + target.getName()
              + "; declare the type argument on the class");
    }
    return type;
  }
}
