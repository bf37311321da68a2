package dev.troupe.persistence.cassandra;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@link CassandraServer}'s JVM: heap, GC and JPMS options as Cassandra 5.0's
 * own {@code conf/jvm*-server.options} set them, the jamm agent, and the system properties that
 * point the server at its {@link CassandraFiles}.
 */
final class CassandraJvmOptions {

  /** The class the server JVM runs. */
  static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  // Cassandra 5.0's conf/jvm17-server.options ("JPMS" section): without these it dies early,
  // e.g. with IllegalAccessException on sun.nio.ch.DirectBuffer.cleaner.
  private static final List<String> JPMS_OPTIONS =
      List.of(
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
          "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.base/java.io=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/java.util=ALL-UNNAMED");

  // GC and Netty settings from conf/jvm17-server.options and general ones from
  // conf/jvm-server.options, minus those that only slow a small server's start
  // (-XX:+AlwaysPreTouch) or litter the working directory (heap dumps).
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-ea",
          "-da:net.openhft...",
          "-Xss256k",
          // Cassandra's startup check asks for this: carrying on after an OutOfMemoryError can
          // corrupt data.
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:+UseG1GC",
          "-XX:+ParallelRefProcEnabled",
          "-XX:MaxTenuringThreshold=1",
          "-XX:G1HeapRegionSize=16m",
          "-XX:G1RSetUpdatingPauseTimePercent=5",
          "-XX:MaxGCPauseMillis=300",
          "-XX:InitiatingHeapOccupancyPercent=70",
          "-Djava.net.preferIPv4Stack=true",
          "-Djdk.attach.allowAttachSelf=true",
          "-Dio.netty.tryReflectionSetAccessible=true",
          "-Dio.netty.allocator.useCacheForAllThreads=true",
          "-Dio.netty.allocator.maxOrder=11",
          "-Dcassandra-foreground=yes",
          // A one-node ring: no need to wait 30 s for gossip before joining.
          "-Dcassandra.ring_delay_ms=1000",
          "-Dcassandra.skip_wait_for_gossip_to_settle=0");

  private CassandraJvmOptions() {}

  /**
   * The full command that starts a server from the jars in {@code lib} (with the {@code jamm} agent
   * among them) on the configuration in {@code files}, using this JVM's {@code java}.
   */
  static List<String> command(
      Path lib, Path jamm, CassandraFiles files, CassandraServer.Heap heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + heap.size());
    command.add("-Xmx" + heap.size());
    command.add("-Xmn" + heap.young());
    command.addAll(JVM_OPTIONS);
    command.addAll(JPMS_OPTIONS);
    command.add("-javaagent:" + jamm);
    command.add("-Dcassandra.config=" + files.yaml().toUri());
    command.add(storageDirFlag(files.dataDir()));
    command.add("-Dcassandra.logdir=" + files.logs());
    command.add("-Dcassandra.triggers_dir=" + files.triggers());
    command.add("-Dlogback.configurationFile=" + files.logback());
    command.add("-cp");
    command.add(files.conf() + File.pathSeparator + lib.resolve("*"));
    command.add(MAIN_CLASS);
    return command;
  }

  /**
   * The option that names a server's data folder; a running server's command line carries it, so it
   * also tells which folder a process serves (see {@link CassandraOrphans}).
   */
  static String storageDirFlag(Path dataDir) {
    return "-Dcassandra.storagedir=" + dataDir.toAbsolutePath().normalize();
  }
}
