"""From results files to what the site shows, without torch: series and their models, chart
styles, the charts, the roofline, tables and facts, and the one build step that writes them."""
