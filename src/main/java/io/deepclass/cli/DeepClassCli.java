package io.deepclass.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;

import io.deepclass.command.ClassifyImagesCommand;
import io.deepclass.command.EvaluateClassifierCommand;
import io.deepclass.command.ExportModelCommand;
import io.deepclass.command.SystemCheckCommand;
import io.deepclass.command.TrainClassifierCommand;
import io.deepclass.core.DeepClassException;
import io.deepclass.core.backend.NativeStart;

/**
 * The {@code deepclass} command line: {@code deepclass classify --model m.zip --list todo.txt
 * --csv out.csv --resume}. The subcommands that do what a Fiji command does run that command,
 * with options read from its parameters (see {@link CommandSubcommand}); {@code shard} and
 * {@code merge} cut a list for a job array and join the results. Results go to files or
 * standard output, progress and messages to standard error.
 * <p>
 * Exit codes: {@value #DONE} done, {@value #FAILED} failed (the reason on standard error),
 * {@value #USAGE} bad usage. Files skipped as unreadable are counted on standard error and are
 * not a failure: one broken image among 100 000 must not stop a job array's merge, which runs
 * only after every task exited with 0 and counts the files without a row.
 */
public final class DeepClassCli {

	public static final int DONE = 0, FAILED = 1, USAGE = 2;

	private DeepClassCli() {}

	public static void main(final String[] args) {
		System.setProperty("java.awt.headless", "true");
		System.exit(run(args, System.out, System.err));
	}

	/** The subcommands, in the order help lists them. */
	static Map<String, Subcommand> subcommands() {
		final Map<String, Subcommand> all = new LinkedHashMap<>();
		for (final Subcommand s : List.of(
			new CommandSubcommand("classify", "classify the images of a folder or a list, into a CSV " +
				"(or CSV on stdout)", ClassifyImagesCommand.class, Map.of("model", "model_file", "list",
					"list_file", "csv", "save_csv"), Set.of("overlay", "saliency", "patch_size"), Map.of(
						"input", List.of("folder", "list")), Set.of(), Map.of("list_file", new String[] { "input",
							"list" }, "folder", new String[] { "input", "folder" }), "save_csv",
				"--model FILE (--folder DIR | --list FILE) [--csv FILE [--resume]] [options]"),
			new CommandSubcommand("train", "train a classifier on a folder with one sub-folder per " +
				"class", TrainClassifierCommand.class, Map.of("model", "model_file"), Set.of(), Map.of(),
				Set.of("folder"), Map.of(), null, "--folder DIR --model FILE [options]"),
			new CommandSubcommand("evaluate", "accuracy, per-class metrics and confusion matrix on " +
				"labelled images", EvaluateClassifierCommand.class, Map.of("model", "model_file"), Set.of(
					"samples"), Map.of(), Set.of("folder"), Map.of(), null,
				"--model FILE --folder DIR [options]"),
			new CommandSubcommand("export", "export a model as ONNX or a bioimage.io package",
				ExportModelCommand.class, Map.of("model", "model_file"), Set.of(), Map.of(), Set.of(), Map
					.of(), null, "--model FILE --output FILE [--format onnx|bioimage.io] [options]"),
			new ShardSubcommand(), new MergeSubcommand(),
			new CommandSubcommand("system-check", "what DeepClass computes on here (backend, " +
				"threads, memory, GPU)", SystemCheckCommand.class, Map.of(), Set.of(), Map.of(), Set.of(),
				Map.of(), null, "")))
			all.put(s.name, s);
		return all;
	}

	/** Runs one command line; its exit code. */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		final Map<String, Subcommand> subcommands = subcommands();
		if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals(
			"help"))
		{
			(args.length == 0 ? err : out).print(Help.overview(subcommands));
			return args.length == 0 ? USAGE : DONE;
		}
		final Subcommand sub = subcommands.get(args[0]);
		if (sub == null) {
			err.println("deepclass: unknown subcommand '" + args[0] + "'; one of: " + String.join(", ",
				subcommands.keySet()) + " (deepclass --help).");
			return USAGE;
		}
		final Contexts contexts = new Contexts();
		final Subcommand.Env env = new Subcommand.Env(contexts, out, err);
		// what ImageJ and SciJava print for people (IJ.log headless, SciJava's INFO lines) goes to
		// standard output by default: here it is progress, and stdout is kept for results
		final PrintStream systemOut = System.out;
		System.setOut(err);
		try {
			final Arguments arguments = Arguments.parse(Arrays.copyOfRange(args, 1, args.length), sub
				.options(env), sub.aliases(), sub.positionals());
			if (arguments.help()) {
				out.print(Help.of(sub, env));
				return DONE;
			}
			// before anything touches ND4J, which loads meanwhile; shard and merge do not load it
			if (sub instanceof CommandSubcommand) NativeStart.inBackground();
			sub.run(arguments, env);
			return DONE;
		}
		catch (final UsageException e) {
			err.println("deepclass " + sub.name + ": " + e.getMessage() + " (deepclass " + sub.name +
				" --help)");
			return USAGE;
		}
		catch (final OutOfMemoryError e) {
			err.println("deepclass " + sub.name + ": out of memory. Give Java more (DEEPCLASS_JVM_OPTS=" +
				"-Xmx4g for the launcher), or use a smaller batch size.");
			return FAILED;
		}
		catch (final IOException | RuntimeException e) {
			final DeepClassException user = CommandSubcommand.userError(e);
			if (user != null) err.println("deepclass " + sub.name + ": " + user.getMessage());
			else if (e instanceof IOException) err.println("deepclass " + sub.name + ": " + e);
			else {
				// a bug, not bad input: the trace is what a report needs
				err.println("deepclass " + sub.name + ": internal error, please report it with this " +
					"output:");
				e.printStackTrace(err);
			}
			return FAILED;
		}
		finally {
			contexts.dispose();
			System.setOut(systemOut);
		}
	}

	/** The SciJava context of the commands, made when first needed (shard and merge need none). */
	private static final class Contexts implements Supplier<Context> {

		private Context context;

		@Override
		public synchronized Context get() {
			if (context == null) {
				context = new Context(List.of(CommandService.class, ModuleService.class,
					LogService.class), new PluginIndex(new DefaultPluginFinder(DeepClassCli.class
						.getClassLoader())));
				context.service(LogService.class).setLevel(LogLevel.INFO);
			}
			return context;
		}

		synchronized void dispose() {
			if (context != null) context.dispose();
		}
	}
}
