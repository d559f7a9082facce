package io.pawfiler.systemtests;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pawfiler.localstack.ServiceProcess;
import io.pawfiler.systemtests.Resilience.Account;
import io.pawfiler.testing.kafka.TestKafka;
import io.pawfiler.testing.postgres.TestPostgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #15, scale-out: two instances of video-analysis-service (two JVMs, one database, one video store) share the
 * analyses through their consumer group. The second instance joins while the first has a queue of work; once both are
 * in the group, more uploads land on every partition. Every task is analysed once (one run, one pipeline pass over
 * both instances) to a final verdict, and both instances did some of the work.
 */
class VideoScaleOutIT {

    private static final String GROUP = "video-analysis-workers";
    private static final int WAVE1 = 8;
    private static final Duration ALL_READY = Duration.ofSeconds(300);
    private static final Duration ANALYSED = Duration.ofSeconds(240);

    private static TestPostgres.Database database;
    private static ServiceProcess auth;
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static Map<String, String> videoEnv;

    @BeforeAll
    static void startServices() throws Exception {
        database = TestPostgres.createDatabase("videoscaleout");
        int authPort = Services.freePort();
        // all 32 frames: the first instance's queue still has work when the second one has started and joined
        videoEnv = Resilience.videoEnv(Resilience.jwks(authPort),
                Services.projectRoot().resolve("system-tests/target/video-scale-out/videos"),
                Map.of("PAWFILER_VIDEO_FRAMES", "32"));
        auth = Services.launch("auth-service", database, Resilience.authEnv(), authPort);
        first = Services.launch("video-analysis-service", database, videoEnv, Services.freePort());
        Services.awaitReady(ALL_READY, auth, first);
    }

    @AfterAll
    static void stopServices() {
        List<ServiceProcess> processes = new ArrayList<>();
        for (ServiceProcess process : new ServiceProcess[] {second, first, auth}) {
            if (process != null) {
                process.process().destroy();
                processes.add(process);
            }
        }
        processes.forEach(ServiceProcess::close);
    }

    @Test
    void twoInstancesShareTheAnalysesAndEachTaskIsAnalysedOnce() throws Exception {
        byte[] clip = Resilience.faceClip("scale-out-face", 3, 640, 360);
        List<Account> players = new ArrayList<>();
        List<String> tasks = new ArrayList<>();

        // a queue for the first instance alone, taken from Kafka at once (one poll): the second instance joins while
        // the first is still working through it, and the rebalance moves some of its partitions away
        for (int i = 0; i < WAVE1; i++) {
            tasks.add(Resilience.upload(first, player(players, tasks.size()), clip, "wave1-" + i + ".mp4"));
        }
        // the second instance starts while the first is busy with it, and joins the group
        long joining = System.nanoTime();
        second = Services.start("video-analysis-service", database, videoEnv, Services.freePort(), ALL_READY);
        long firstDone = tasks(tasks).values().stream().filter(Task::finished).count();
        Map<String, Integer> assignment = Resilience.await("both instances in " + GROUP + " with partitions",
                Duration.ofSeconds(90), VideoScaleOutIT::partitionsPerMember,
                members -> members.size() == 2 && members.values().stream().allMatch(n -> n > 0));
        System.out.printf("VideoScaleOutIT: second instance ready and in the group %s after its launch (%d of the"
                        + " first %d tasks finished when it was ready): %s%n",
                Resilience.seconds(System.nanoTime() - joining), firstDone, WAVE1, assignment);

        // then uploads through both instances until every partition of video.uploaded has one, so each member has work
        int partitions = partitionCount();
        Set<Integer> covered = new HashSet<>();
        int wave2 = 0;
        while (covered.size() < partitions || wave2 < 4) {
            ServiceProcess via = wave2 % 2 == 0 ? first : second;
            String task = Resilience.upload(via, player(players, tasks.size()), clip, "wave2-" + wave2 + ".mp4");
            tasks.add(task);
            covered.add(partitionOf(task, partitions));
            wave2++;
            assertTrue(wave2 < 40, "uploads never covered the partitions: " + covered);
        }

        long waiting = System.nanoTime();
        Map<String, Task> finished = Resilience.await("every task to finish", ANALYSED, () -> tasks(tasks),
                rows -> rows.size() == tasks.size() && rows.values().stream().allMatch(Task::finished));
        double runsFirst = Resilience.metric(first, "video_analysis_seconds_count");
        double runsSecond = Resilience.metric(second, "video_analysis_seconds_count");
        System.out.printf("VideoScaleOutIT: %d tasks (%d before the second instance, %d after, over %d partitions)"
                        + " finished %s after the last upload; pipeline runs: first instance %.0f, second %.0f%n",
                tasks.size(), WAVE1, wave2, partitions, Resilience.seconds(System.nanoTime() - waiting), runsFirst, runsSecond);
        assertEquals(Map.of(), finished.entrySet().stream()
                        .filter(e -> !e.getValue().stage.equals("COMPLETED") || e.getValue().attempts != 1)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                "every task COMPLETED in one run");
        assertEquals(tasks.size(), (int) (runsFirst + runsSecond), "one pipeline pass per task over both instances");
        assertTrue(runsFirst > 0 && runsSecond > 0, "both instances analysed: " + runsFirst + " and " + runsSecond);
        assertEquals(tasks.size(), results(tasks), "one result row per task");
    }

    /** A player with quota left (5 analyses a month each), signing one up when needed. */
    private static Account player(List<Account> players, int uploadsSoFar) {
        if (uploadsSoFar / Resilience.UPLOADS_PER_PLAYER >= players.size()) {
            players.add(Resilience.signUp(auth, "확장탐정" + players.size()));
        }
        return players.get(uploadsSoFar / Resilience.UPLOADS_PER_PLAYER);
    }

    private record Task(String stage, int attempts) {
        boolean finished() {
            return stage.equals("COMPLETED") || stage.equals("FAILED");
        }
    }

    private static Map<String, Task> tasks(List<String> ids) {
        Map<String, Task> out = new HashMap<>();
        try (Connection db = database.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT id, stage, attempts FROM video_analysis.analysis_tasks WHERE id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("varchar", ids.toArray()));
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    out.put(row.getString(1), new Task(row.getString(2), row.getInt(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static int results(List<String> ids) throws SQLException {
        try (Connection db = database.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM video_analysis.analysis_results WHERE task_id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("varchar", ids.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        return Admin.create(props);
    }

    /** Member → partitions assigned, of the video workers' group. */
    private static Map<String, Integer> partitionsPerMember() {
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(10, TimeUnit.SECONDS).get(GROUP);
            Map<String, Integer> out = new HashMap<>();
            for (MemberDescription member : group.members()) {
                out.put(member.consumerId(), member.assignment().topicPartitions().size());
            }
            return out;
        } catch (Exception e) {
            return Map.of("error: " + e, 0);
        }
    }

    private static int partitionCount() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of("video.uploaded")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("video.uploaded").partitions().size();
        }
    }

    /** The producer's default partitioner for a keyed record (video.uploaded is keyed by task id). */
    private static int partitionOf(String taskId, int partitions) {
        return Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
