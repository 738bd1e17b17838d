// Test helper: the export command without the GUI, so tests run it as a subprocess
// even where the full grokpulse executable cannot be built.
#include "app/exportcommand.h"

int main(int argc, char **argv)
{
    return gp::runExportCommand(argc, argv);
}
