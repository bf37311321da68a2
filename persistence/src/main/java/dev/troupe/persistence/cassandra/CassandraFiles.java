package dev.troupe.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a {@link CassandraServer}'s folder, and the {@code cassandra.yaml} and {@code
 * logback.xml} written into its {@code conf} folder on every start.
 *
 * @param dataDir the server's folder, absolute and normalized
 */
record CassandraFiles(Path dataDir) {

  /** The folder on the server's classpath: {@code cassandra.yaml}, {@code logback.xml}. */
  Path conf() {
    return dataDir.resolve("conf");
  }

  Path yaml() {
    return conf().resolve("cassandra.yaml");
  }

  Path logback() {
    return conf().resolve("logback.xml");
  }

  Path triggers() {
    return conf().resolve("triggers");
  }

  Path logs() {
    return dataDir.resolve("logs");
  }

  /** The server's own log, written through {@link #logback()}. */
  Path systemLog() {
    return logs().resolve("system.log");
  }

  /** The server JVM's standard output and error. */
  Path outputLog() {
    return logs().resolve("output.log");
  }

  /** The ends of {@link #systemLog()} and {@link #outputLog()}, for an error message. */
  String logTails() {
    return "--- end of "
        + systemLog()
        + " ---\n"
        + CassandraLibrary.tail(systemLog(), 40)
        + "\n--- end of "
        + outputLog()
        + " ---\n"
        + CassandraLibrary.tail(outputLog(), 20);
  }

  /** Creates the folders and writes the configuration for a server on these ports. */
  void write(int cqlPort, int storagePort) {
    try {
      // Cassandra warns every minute when its triggers folder is missing.
      Files.createDirectories(triggers());
      Files.createDirectories(logs());
      Files.writeString(yaml(), cassandraYaml(cqlPort, storagePort), StandardCharsets.UTF_8);
      Files.writeString(logback(), logbackXml(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Cassandra configuration in " + conf(), e);
    }
  }

  private String cassandraYaml(int cqlPort, int storagePort) {
    String host = CassandraServer.HOST;
    // Only what a one-node dev/test server needs; everything else keeps Cassandra 5.0's
    // defaults. The seed must name the storage port: without it the node looks for a seed on
    // 7000.
    return String.join(
        "\n",
        "# Written by dev.troupe.persistence.cassandra.CassandraServer on every start.",
        "cluster_name: 'Troupe'",
        "num_tokens: 16",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: '" + host + ":" + storagePort + "'",
        "listen_address: " + host,
        "rpc_address: " + host,
        "storage_port: " + storagePort,
        "native_transport_port: " + cqlPort,
        "start_native_transport: true",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "data_file_directories:",
        "  - " + yamlString(dataDir.resolve("data")),
        "commitlog_directory: " + yamlString(dataDir.resolve("commitlog")),
        "hints_directory: " + yamlString(dataDir.resolve("hints")),
        "saved_caches_directory: " + yamlString(dataDir.resolve("saved_caches")),
        "cdc_raw_directory: " + yamlString(dataDir.resolve("cdc_raw")),
        "authenticator: AllowAllAuthenticator",
        "authorizer: AllowAllAuthorizer",
        // Tests truncate and drop tables often; a snapshot per drop only costs time and disk.
        "auto_snapshot: false",
        "");
  }

  private String logbackXml() {
    String file = xml(systemLog().toString());
    String pattern = xml(systemLog() + ".%i.zip");
    return String.join(
        "\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<!-- Written by dev.troupe.persistence.cassandra.CassandraServer on every start. -->",
        "<configuration scan=\"false\">",
        "  <appender name=\"SYSTEMLOG\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">",
        "    <file>" + file + "</file>",
        "    <rollingPolicy class=\"ch.qos.logback.core.rolling.FixedWindowRollingPolicy\">",
        "      <fileNamePattern>" + pattern + "</fileNamePattern>",
        "      <minIndex>1</minIndex>",
        "      <maxIndex>3</maxIndex>",
        "    </rollingPolicy>",
        "    <triggeringPolicy"
            + " class=\"ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy\">",
        "      <maxFileSize>50MB</maxFileSize>",
        "    </triggeringPolicy>",
        "    <encoder>",
        "      <pattern>%-5level [%thread] %date{ISO8601} %logger{36} - %msg%n</pattern>",
        "    </encoder>",
        "  </appender>",
        "  <root level=\"INFO\">",
        "    <appender-ref ref=\"SYSTEMLOG\"/>",
        "  </root>",
        "</configuration>",
        "");
  }

  private static String yamlString(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
