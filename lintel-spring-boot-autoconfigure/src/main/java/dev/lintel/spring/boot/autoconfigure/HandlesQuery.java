package dev.lintel.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of the query type it takes as its one parameter; the
 * auto-configuration registers it on the runtime's query bus when the context starts. The method
 * returns the query's result type. Exceptions it throws reach the asker unchanged (checked ones
 * wrapped in a {@code LintelException}). A query type handled twice fails the start with {@code
 * DuplicateHandlerException}.
 *
 * <p>For example, in a component class: {@code @HandlesQuery OrderView get(GetOrder query) { ...
 * }}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface HandlesQuery {}
