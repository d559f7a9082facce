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
 * analyses through their consumer group. The second instance starts while the first works through a queue spread over
 * every partition; once it is in the group it analyses what is queued and uploaded on its partitions. Every task is
 * analysed once (one run, one pipeline pass over both instances) to a final verdict.
 */
class VideoScaleOutIT {

    private static final String GROUP = "video-analysis-workers";
    /** Queued tasks per partition of video.uploaded before the second instance starts. */
    private static final int PER_PARTITION = 4;
    /** The second instance's consumer gets partitions once the first's consumer rejoins: after its current analysis. */
    private static final Duration JOINED = Duration.ofSeconds(90);
    /** Uploads that land on the second instance's partitions after it joined: its share of new work. */
    private static final int LATE_ON_SECOND = 2;
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
        // all 32 frames of a 720p clip: the first instance's queue outlasts the second one's start
        videoEnv = Resilience.videoEnv(Resilience.jwks(authPort),
                Services.projectRoot().resolve("system-tests/target/video-scale-out/videos"),
                Map.of("PAWFILER_VIDEO_FRAMES", "32"));
        auth = Services.launch("auth-service", database, Resilience.authEnv(), authPort);
        first = Services.launch("video-analysis-service", database, videoEnv, Services.freePort());
        Services.awaitReady(ALL_READY, auth, first);
    }

    @AfterAll
    static void stopServices() {
        Services.stopAll(second, first, auth);
    }

    @Test
    void aSecondInstanceTakesOverPartOfTheQueueAndEachTaskIsAnalysedOnce() throws Exception {
        byte[] clip = Resilience.faceClip("face-720p", 10, 1280, 720);
        List<Account> players = new ArrayList<>();
        List<String> tasks = new ArrayList<>();

        // a queue for the first instance alone, at least PER_PARTITION tasks on every partition of video.uploaded
        tasks.add(Resilience.upload(first, player(players, 0), clip, "queued-0.mp4"));
        int partitions = Resilience.await("video.uploaded to exist", Duration.ofSeconds(60),
                VideoScaleOutIT::partitionCount, n -> n > 0);
        Map<Integer, Integer> perPartition = new HashMap<>(Map.of(partitionOf(tasks.getFirst(), partitions), 1));
        while (perPartition.size() < partitions || perPartition.values().stream().anyMatch(n -> n < PER_PARTITION)) {
            String task = Resilience.upload(first, player(players, tasks.size()), clip, "queued-" + tasks.size() + ".mp4");
            tasks.add(task);
            perPartition.merge(partitionOf(task, partitions), 1, Integer::sum);
            assertTrue(tasks.size() < 40, "uploads never covered the partitions: " + perPartition);
        }

        // the second instance starts while the first works through the queue, and joins the group
        Set<String> firstMember = Resilience.await("the first instance alone in " + GROUP, JOINED,
                VideoScaleOutIT::partitionsPerMember, members -> members.size() == 1
                        && members.values().stream().allMatch(p -> !p.isEmpty())).keySet();
        long launched = System.nanoTime();
        second = Services.start("video-analysis-service", database, videoEnv, Services.freePort(), ALL_READY);
        long ready = System.nanoTime();
        long waitingAtReady = tasks(tasks).values().stream().filter(t -> t.stage.equals("UPLOADED")).count();
        Map<String, Set<Integer>> assignment = Resilience.await("both instances in " + GROUP + " with partitions",
                JOINED, VideoScaleOutIT::partitionsPerMember,
                members -> members.size() == 2 && members.values().stream().allMatch(p -> !p.isEmpty()));
        long joined = System.nanoTime();
        Set<Integer> secondPartitions = assignment.entrySet().stream().filter(e -> !firstMember.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        Map<String, Task> atJoin = tasks(tasks);
        long waitingAtJoin = atJoin.values().stream().filter(t -> t.stage.equals("UPLOADED")).count();
        long waitingOnSecond = tasks.stream().filter(t -> atJoin.get(t).stage.equals("UPLOADED")
                && secondPartitions.contains(partitionOf(t, partitions))).count();

        // the first drains a partition at a time, so the second's partitions may be drained already when it joins:
        // work uploaded now on its partitions is its own
        int lateOnSecond = 0;
        for (int late = 0; lateOnSecond < LATE_ON_SECOND; late++) {
            assertTrue(late < 24, "uploads never reached the second instance's partitions " + secondPartitions);
            String task = Resilience.upload(first, player(players, tasks.size()), clip, "late-" + late + ".mp4");
            tasks.add(task);
            if (secondPartitions.contains(partitionOf(task, partitions))) {
                lateOnSecond++;
            }
        }
        System.out.printf("VideoScaleOutIT: %d tasks queued over %d partitions %s; second instance ready %s after its"
                        + " launch (%d tasks waiting), in the group with partitions %s later (%d tasks still waiting,"
                        + " %d of them on its partitions): %s; then %d uploads, %d on its partitions%n",
                atJoin.size(), partitions, perPartition, Resilience.seconds(ready - launched), waitingAtReady,
                Resilience.seconds(joined - ready), waitingAtJoin, waitingOnSecond, assignment,
                tasks.size() - atJoin.size(), lateOnSecond);

        Map<String, Task> finished = Resilience.await("every task to finish", ANALYSED, () -> tasks(tasks),
                rows -> rows.size() == tasks.size() && rows.values().stream().allMatch(Task::finished));
        double runsFirst = Resilience.metric(first, "video_analysis_seconds_count");
        double runsSecond = Resilience.metric(second, "video_analysis_seconds_count");
        System.out.printf("VideoScaleOutIT: %d tasks finished %s after the second instance joined; pipeline runs:"
                        + " first instance %.0f, second %.0f%n", tasks.size(), Resilience.seconds(System.nanoTime() - joined),
                runsFirst, runsSecond);
        assertEquals(Map.of(), finished.entrySet().stream()
                        .filter(e -> !e.getValue().stage.equals("COMPLETED") || e.getValue().attempts != 1)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                "every task COMPLETED in one run");
        assertEquals(tasks.size(), results(tasks), "one result row per task");
        assertEquals(tasks.size(), (int) (runsFirst + runsSecond), "one pipeline pass per task over both instances");
        assertTrue(runsSecond >= lateOnSecond, "the second instance analysed the work on its partitions: runs "
                + runsFirst + " and " + runsSecond + "; " + waitingOnSecond + " tasks were waiting on its partitions "
                + secondPartitions + " when it joined, " + lateOnSecond + " uploaded there later");
        assertTrue(runsFirst > 0);
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

    /** Member → partitions of video.uploaded assigned to it, of the video workers' group. */
    private static Map<String, Set<Integer>> partitionsPerMember() {
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(10, TimeUnit.SECONDS).get(GROUP);
            Map<String, Set<Integer>> out = new HashMap<>();
            for (MemberDescription member : group.members()) {
                Set<Integer> partitions = new HashSet<>();
                member.assignment().topicPartitions().forEach(p -> partitions.add(p.partition()));
                out.put(member.consumerId(), partitions);
            }
            return out;
        } catch (Exception e) {
            return Map.of("error: " + e, Set.of());
        }
    }

    /** Partitions of video.uploaded; 0 while it does not exist yet. */
    private static int partitionCount() {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of("video.uploaded")).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get("video.uploaded").partitions().size();
        } catch (Exception notYet) {
            return 0;
        }
    }

    /** The producer's default partitioner for a keyed record (video.uploaded is keyed by task id). */
    private static int partitionOf(String taskId, int partitions) {
        return Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
