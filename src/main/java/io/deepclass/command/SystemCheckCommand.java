package io.deepclass.command;


import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;

import io.deepclass.core.backend.SystemReport;
import io.deepclass.ij.bridge.DeepClassPlugIn;

/**
 * Plugins > DeepClass > DeepClass System Check: what DeepClass computes on (backend, device,
 * native libraries, memory, versions).
 * <p>
 * Macro: {@code run("DeepClass System Check");}
 */
@Plugin(type = Command.class, headless = true, label = "DeepClass System Check", attrs = @Attr(name =
	DeepClassPlugIn.MENU_KEY, value = "check"))
public class SystemCheckCommand implements Command {

	/** The title of the table it makes. */
	public static final String TITLE = "DeepClass System Check";


	@Parameter(type = ItemIO.OUTPUT, label = TITLE)
	private ResultsTable system;

	@Override
	public void run() {
		system = new ResultsTable();
		for (final Map.Entry<String, String> e : SystemReport.collect().entrySet()) {
			system.addRow();
			system.addValue("item", e.getKey());
			system.addValue("value", e.getValue());
		}
	}

	public ResultsTable table() {
		return system;
	}
}
