package io.deepclass.command;

import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.deepclass.ij.bridge.DeepClassPlugIn;
import io.deepclass.ij.display.ResultTables;
import io.deepclass.ij.display.Tables;

/**
 * Plugins > DeepClass > Get DeepClass Table: copies a table a DeepClass command made into
 * ImageJ's "Results" table. Headless, plain ImageJ 1.x keeps its tables in windows, so
 * {@code Table.get(..., "DeepClass Training History")} finds nothing; the "Results" table is the
 * one every macro reaches, with or without a display.
 * <p>
 * Macro: {@code run("Get DeepClass Table", "table=[DeepClass Training History]");
 * print(Table.get("validation_accuracy", Table.size - 1, "Results"));}
 */
@Plugin(type = Command.class, headless = true, label = "Get DeepClass Table", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "table"))
public class GetTableCommand implements Command {

	@Parameter(label = "table", choices = { ResultTables.IMPORT_REPORT, ResultTables.HISTORY,
		ResultTables.RESULTS, ResultTables.EVALUATION, ResultTables.CONFUSION,
		SystemCheckCommand.TITLE })
	private String table = ResultTables.HISTORY;

	@Override
	public void run() {
		Tables.toResults(table);
	}
}
