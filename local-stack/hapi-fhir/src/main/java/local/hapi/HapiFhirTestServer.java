package local.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A HAPI FHIR JPA server, FHIR R4 at {@code /fhir}, on H2, with HAPI's defaults (referential
 * integrity, client-assigned ids, SearchParameter indexing) and R4 rest-hook subscriptions.
 *
 * <p>System properties: {@code server.port} (default 8090); {@code hapi.data-dir}, the directory of
 * the H2 database (absent: in memory).
 */
@SpringBootApplication(
		// HAPI builds its own EntityManagerFactory, schedules with its own Quartz, and has no use for
		// Flyway, Elasticsearch or Thymeleaf, which its jars bring onto the classpath.
		exclude = {
			HibernateJpaAutoConfiguration.class,
			QuartzAutoConfiguration.class,
			FlywayAutoConfiguration.class,
			ElasticsearchRestClientAutoConfiguration.class,
			ThymeleafAutoConfiguration.class
		})
@Import({
	JpaR4Config.class,
	HapiJpaConfig.class,
	ThreadPoolFactoryConfig.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class,
	SubscriptionSubmitterConfig.class,
	SubscriptionProcessorConfig.class,
	SubscriptionChannelConfig.class
})
public class HapiFhirTestServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(HapiFhirTestServer.class);
		application.setDefaultProperties(defaultProperties(System.getProperty("hapi.data-dir")));
		application.run(args);
	}

	static Map<String, Object> defaultProperties(String dataDir) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("server.port", "8090");
		properties.put("server.address", "127.0.0.1");
		// FHIR token searches put a bare '|' in the query (system|code).
		properties.put("server.tomcat.relaxed-query-chars", "|");
		properties.put("spring.main.banner-mode", "off");
		// HAPI's configuration classes refer to each other.
		properties.put("spring.main.allow-circular-references", "true");
		properties.put("spring.datasource.url", dataDir == null || dataDir.isBlank()
				? "jdbc:h2:mem:hapi;DB_CLOSE_DELAY=-1"
				: "jdbc:h2:file:" + Path.of(dataDir, "hapi").toAbsolutePath() + ";TRACE_LEVEL_FILE=0");
		properties.put("spring.datasource.username", "sa");
		properties.put("spring.datasource.password", "");
		properties.put("spring.datasource.hikari.maximum-pool-size", "10");
		properties.put("logging.level.root", "warn");
		// A refused request is the client's answer, not the server's news (and may quote its content).
		properties.put("logging.level.ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor", "error");
		// Its warning about HAPI's BeanPostProcessorConfig is HAPI's to fix.
		properties.put("logging.level.org.springframework.context.support.PostProcessorRegistrationDelegate", "error");
		return properties;
	}
}
