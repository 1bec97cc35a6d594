package dev.lintel.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin jar. The SDK's API ({@code dev.lintel.*}) and SLF4J come from the
 * host, so a plugin and its host share those types (no "X cannot be cast to X"); everything else
 * comes from the jar first, then from the JDK only, so a plugin's private libraries never clash
 * with the host's or another plugin's, and the host's other libraries stay invisible to it.
 */
final class PluginClassLoader extends URLClassLoader {
  private static final List<String> SHARED = List.of("dev.lintel.", "org.slf4j.", "org.jspecify.");

  private final ClassLoader host;

  PluginClassLoader(String name, URL jar, ClassLoader host) {
    super(name, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    this.host = host;
  }

  private static boolean shared(String name) {
    for (String prefix : SHARED) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name)) {
      return host.loadClass(name);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name); // the jar first
        } catch (ClassNotFoundException notInJar) {
          loaded = super.loadClass(name, false); // then the JDK
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    // Only the jar's own resources: the host's META-INF/services must not show up as the jar's.
    return name.startsWith("META-INF/services/") ? findResources(name) : super.getResources(name);
  }
}
