package dev.cursorexporter.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The {@code process_*} and {@code jvm_*} metrics every Prometheus user knows from node and JMX exporters
 * ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes}, {@code jvm_memory_used_bytes}, ...),
 * from client_java's collectors, which read the platform MXBeans and {@code /proc/self} at scrape time and hold
 * nothing in between. Registered one by one rather than through {@code JvmMetrics}, whose static set of registries
 * would keep every registry a test ever made alive; and without the two collectors that cost outside a scrape:
 * {@code JvmMemoryPoolAllocationMetrics} (a listener on every GC that is never removed) and
 * {@code JvmNativeMemoryMetrics} (only answers with -XX:NativeMemoryTracking, which costs memory itself).
 */
final class StandardMetrics {
    private StandardMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmThreadsMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
    }
}
