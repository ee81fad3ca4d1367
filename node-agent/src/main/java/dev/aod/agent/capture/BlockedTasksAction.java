package dev.aod.agent.capture;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** The kernel stacks of every task in uninterruptible sleep (state D): where a hung share shows up first. */
public record BlockedTasksAction(Path procRoot, Duration timeout) implements CaptureAction {

    @Override
    public String name() {
        return "blocked_stacks";
    }

    @Override
    public String fileName() {
        return "blocked-tasks.txt";
    }

    @Override
    public int capture(CaptureContext context, Path out, Path err) throws IOException {
        int found = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                Stream<Path> processes = Files.list(procRoot)) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .sorted().toList()) {
                for (Path task : tasks(process)) {
                    String stat = read(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'D') {
                        continue;
                    }
                    found++;
                    w.write("pid " + process.getFileName() + " tid " + task.getFileName() + " comm "
                            + read(task.resolve("comm")).strip() + " wchan " + read(task.resolve("wchan")).strip() + "\n");
                    w.write(read(task.resolve("stack")));
                    w.write("\n");
                }
            }
            w.write(found + " task(s) in uninterruptible sleep (D)\n");
        }
        return 0;
    }

    private static java.util.List<Path> tasks(Path process) {
        try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
            return tasks.sorted().toList();
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + p.getFileName() + " unreadable: " + e.getMessage() + ")\n";
        }
    }
}
